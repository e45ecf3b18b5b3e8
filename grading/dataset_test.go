package grading

// examData is the hand-made data set of the report tests. Exam E: A and B
// weigh 1, C weighs 2 (W = 4), pass mark 60. First sittings on day 0:
//
//	user team  A (seed)   B    C    exam score = (A + B + 2C) / 4
//	u1   t1    100 (1)    80   60   (100 + 80 + 120) / 4 = 75   pass
//	u2   t1     50 (1)   100   40   (50 + 100 + 80) / 4 = 57.5  fail
//	u3   t2      0 (2)    60  100   (0 + 60 + 200) / 4 = 65     pass
//	u4   t2    100 (2)    20    0   (100 + 20 + 0) / 4 = 30     fail
//
// u5 (t2) practises A once (score 40, seed 1, no exam); u1 sits E again on
// day 1 and scores 100 on every item (seed 3 for A).
func examData() []Result {
	return results(
		spec{user: "u1", team: "t1", exam: "E", no: 1, scenario: "A", class: "network", seed: 1, minute: 10, score: 100, secs: 120, fcr: true, rating: 5, rootCause: "rc-a"},
		spec{user: "u1", team: "t1", exam: "E", no: 1, scenario: "B", class: "signaling", minute: 20, score: 80, secs: 150, fcr: true, rating: 4, rootCause: "rc-b"},
		spec{user: "u1", team: "t1", exam: "E", no: 1, scenario: "C", class: "codec", minute: 30, score: 60, secs: 200, rating: 3, rootCause: "rc-x"},
		spec{user: "u2", team: "t1", exam: "E", no: 1, scenario: "A", class: "network", seed: 1, minute: 11, score: 50, secs: 200, rating: 3, rootCause: "rc-x"},
		spec{user: "u2", team: "t1", exam: "E", no: 1, scenario: "B", class: "signaling", minute: 21, score: 100, secs: 100, fcr: true, rating: 5, rootCause: "rc-b"},
		spec{user: "u2", team: "t1", exam: "E", no: 1, scenario: "C", class: "codec", minute: 31, score: 40, secs: 250, rating: 2, rootCause: "rc-z"},
		spec{user: "u3", team: "t2", exam: "E", no: 1, scenario: "A", class: "network", seed: 2, minute: 12, score: 0, secs: 300, fatal: true, rating: 1, rootCause: "rc-y"},
		spec{user: "u3", team: "t2", exam: "E", no: 1, scenario: "B", class: "signaling", minute: 22, score: 60, secs: 180, rating: 3, rootCause: "rc-q"},
		spec{user: "u3", team: "t2", exam: "E", no: 1, scenario: "C", class: "codec", minute: 32, score: 100, secs: 160, fcr: true, rating: 5, rootCause: "rc-c"},
		spec{user: "u4", team: "t2", exam: "E", no: 1, scenario: "A", class: "network", seed: 2, minute: 13, score: 100, secs: 100, fcr: true, rating: 4, rootCause: "rc-a"},
		spec{user: "u4", team: "t2", exam: "E", no: 1, scenario: "B", class: "signaling", minute: 23, score: 20, secs: 240, rating: 2, rootCause: "rc-q"},
		spec{user: "u4", team: "t2", exam: "E", no: 1, scenario: "C", class: "codec", minute: 33, score: 0, secs: 400, rating: 1, rootCause: "rc-x"},
		spec{user: "u5", team: "t2", no: 1, scenario: "A", class: "network", seed: 1, minute: 40, score: 40, secs: 150, rating: 2, rootCause: "rc-x"},
		spec{user: "u1", team: "t1", exam: "E", no: 2, scenario: "A", class: "network", seed: 3, day: 1, minute: 10, score: 100, secs: 90, fcr: true, rating: 5, rootCause: "rc-a"},
		spec{user: "u1", team: "t1", exam: "E", no: 2, scenario: "B", class: "signaling", day: 1, minute: 20, score: 100, secs: 100, fcr: true, rating: 5, rootCause: "rc-b"},
		spec{user: "u1", team: "t1", exam: "E", no: 2, scenario: "C", class: "codec", day: 1, minute: 30, score: 100, secs: 120, fcr: true, rating: 5, rootCause: "rc-c"},
	)
}
