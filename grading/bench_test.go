package grading

import (
	"io"
	"testing"
)

// The benchmarks build each report from 100k generated attempts of 200
// trainees over 30 scenarios (three exams of ten), in memory and without a
// cache: the budget is 300 ms per report page.
const (
	benchTrainees  = 200
	benchScenarios = 30
	benchAttempts  = 100_000
)

func benchData(b *testing.B) generated {
	b.Helper()
	d := generate(b, benchTrainees, benchScenarios, benchAttempts, 1)
	b.ReportAllocs()
	b.ResetTimer()
	return d
}

func BenchmarkGradeAll(b *testing.B) {
	d := generate(b, benchTrainees, benchScenarios, benchAttempts, 1)
	attempts := make([]Attempt, len(d.results))
	for i := range d.results {
		attempts[i] = d.results[i].Attempt
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := d.g.GradeAll(attempts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTraineeReport(b *testing.B) {
	d := benchData(b)
	for b.Loop() {
		rep, err := d.g.TraineeReport(d.results, d.users[17])
		if err != nil || len(rep.Attempts) == 0 {
			b.Fatal(err, len(rep.Attempts))
		}
	}
}

func BenchmarkTeamReport(b *testing.B) {
	d := benchData(b)
	for b.Loop() {
		rep, err := d.g.TeamReport(d.results, d.teams[3])
		if err != nil || len(rep.Members) == 0 {
			b.Fatal(err, len(rep.Members))
		}
	}
}

func BenchmarkScenarioReport(b *testing.B) {
	d := benchData(b)
	for b.Loop() {
		rep, err := d.g.ScenarioReport(d.results, d.scenario[12])
		if err != nil || !rep.Overall.Discrimination.OK {
			b.Fatal(err, rep.Overall.Discrimination)
		}
	}
}

func BenchmarkExamReport(b *testing.B) {
	d := benchData(b)
	for b.Loop() {
		rep, err := d.g.ExamReport(d.results, d.exams[1])
		if err != nil || !rep.Alpha.OK {
			b.Fatal(err, rep.Alpha)
		}
	}
}

func BenchmarkExamReportAllAttemptsCSV(b *testing.B) {
	d := generate(b, benchTrainees, benchScenarios, benchAttempts, 1, WithAllAttempts())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rep, err := d.g.ExamReport(d.results, d.exams[1])
		if err != nil {
			b.Fatal(err)
		}
		if err := rep.WriteCSV(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
