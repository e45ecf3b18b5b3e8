package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// BenchmarkResults reads 30k results of one exam, both ways,, the size of the largest
// report query of the web layer's 100k-attempt benchmark.
func BenchmarkResults(b *testing.B) {
	s, clock, _ := openTestStore(b)
	ctx := context.Background()
	team, err := s.CreateTeam(ctx, "Cohort A", "")
	require.NoError(b, err)
	u, err := s.CreateUser(ctx, NewUser{Username: "ana", Role: RoleTrainee, Password: "x", TeamID: &team.ID})
	require.NoError(b, err)
	e := mustExam(b, s, "Week 1")
	rs := make([]ResultRecord, 30_000)
	for i := range rs {
		rs[i] = testResult(u, fmt.Sprintf("scenario-%02d", i%10), clock.Now().Add(time.Duration(i)*time.Minute))
		rs[i].ExamID, rs[i].AttemptNo = &e.ID, 1+i/10
	}
	require.NoError(b, s.SaveResults(ctx, rs))
	b.Run("Results", func(b *testing.B) {
		for b.Loop() {
			got, err := s.Results(ctx, ResultFilter{ExamIDs: []uint{e.ID}})
			if err != nil || len(got) != len(rs) {
				b.Fatalf("%d results, %v", len(got), err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(rs)), "µs/row")
	})
	b.Run("ResultsForGrading", func(b *testing.B) {
		for b.Loop() {
			got, err := s.ResultsForGrading(ctx, ResultFilter{ExamIDs: []uint{e.ID}})
			if err != nil || len(got) != len(rs) {
				b.Fatalf("%d results, %v", len(got), err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(rs)), "µs/row")
	})
}
