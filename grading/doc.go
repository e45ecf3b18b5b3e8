// Package grading scores trainees' scenario attempts and builds the manager
// reports (trainee, team or cohort, scenario and variant, exam) together with
// their CSV exports.
//
// The package is pure Go: it takes plain input types ([AnswerKey], [Exam],
// [Attempt]) that the web layer maps from its storage, so every figure can be
// checked against hand-computed values without a database or a browser.
// Scoring is deterministic (no clock, no randomness): the same attempt always
// gets the same score and the same simulated CSAT, which keeps reports
// reproducible when they are rebuilt from stored attempts.
//
// No NaN or Inf ever leaves the package: figures that are undefined for the
// data at hand (no attempts, one attempt, all scores equal) are [Figure]
// values with OK false, shown as "n/a".
//
// docs/grading.md states every formula, weight, definition and edge case.
package grading
