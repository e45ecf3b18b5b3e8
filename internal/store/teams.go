package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Team is a group of users — a cohort of trainees or a support team — that
// exams can be assigned to and managers report on.
type Team struct {
	ID          uint `gorm:"primaryKey"`
	Name        string
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// CreateTeam adds a team. A taken name (ignoring case) is ErrConflict.
func (s *Store) CreateTeam(ctx context.Context, name, description string) (Team, error) {
	t := Team{Name: strings.TrimSpace(name), Description: strings.TrimSpace(description)}
	if t.Name == "" {
		return Team{}, fmt.Errorf("create team: empty name: %w", ErrInvalid)
	}
	err := s.db.WithContext(ctx).Create(&t).Error
	return t, dbErr(err, "create team %q", t.Name)
}

// Team returns the team with the given id.
func (s *Store) Team(ctx context.Context, id uint) (Team, error) {
	var t Team
	err := s.db.WithContext(ctx).First(&t, id).Error
	return t, dbErr(err, "team %d", id)
}

// TeamByName returns the team with the given name, ignoring case.
func (s *Store) TeamByName(ctx context.Context, name string) (Team, error) {
	var t Team
	err := s.db.WithContext(ctx).Where("lower(name) = lower(?)", strings.TrimSpace(name)).First(&t).Error
	return t, dbErr(err, "team %q", name)
}

// Teams lists every team by name.
func (s *Store) Teams(ctx context.Context) ([]Team, error) {
	var ts []Team
	err := s.db.WithContext(ctx).Order("lower(name), id").Find(&ts).Error
	return ts, dbErr(err, "list teams")
}

// UpdateTeam renames or redescribes a team.
func (s *Store) UpdateTeam(ctx context.Context, id uint, name, description string) (Team, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Team{}, fmt.Errorf("update team %d: empty name: %w", id, ErrInvalid)
	}
	res := s.db.WithContext(ctx).Model(&Team{}).Where("id = ?", id).Updates(map[string]any{
		"name": name, "description": strings.TrimSpace(description), "updated_at": s.nowUTC(),
	})
	if res.Error != nil {
		return Team{}, dbErr(res.Error, "update team %d", id)
	}
	if res.RowsAffected == 0 {
		return Team{}, fmt.Errorf("update team %d: %w", id, ErrNotFound)
	}
	return s.Team(ctx, id)
}

// TeamMembers returns the users of a team by username.
func (s *Store) TeamMembers(ctx context.Context, teamID uint) ([]User, error) {
	var us []User
	err := s.db.WithContext(ctx).Where("team_id = ?", teamID).Order("lower(username), id").Find(&us).Error
	return us, dbErr(err, "members of team %d", teamID)
}

// TeamSizes maps each team id to its number of users; teams without users
// are absent, which reads as zero.
func (s *Store) TeamSizes(ctx context.Context) (map[uint]int, error) {
	var rows []struct {
		TeamID uint
		N      int
	}
	err := s.db.WithContext(ctx).Model(&User{}).Select("team_id, COUNT(*) AS n").
		Where("team_id IS NOT NULL").Group("team_id").Scan(&rows).Error
	if err != nil {
		return nil, dbErr(err, "team sizes")
	}
	sizes := make(map[uint]int, len(rows))
	for _, r := range rows {
		sizes[r.TeamID] = r.N
	}
	return sizes, nil
}
