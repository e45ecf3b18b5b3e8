package webui

import (
	"github.com/rtcdrill/rtcdrill/grading"
)

// itemView is a scenario's item statistics ready to print.
type itemView struct {
	N, Submitted, DiscN      int
	Facility, Discrimination string
	Mean, Median, FCR        string
	FacilityFlag             string
	Wrong                    []wrongView
}

// wrongView is one frequent wrong diagnosis.
type wrongView struct {
	Name, Share string
	Count       int
}

func (env *reportEnv) itemView(loc *Locale, st grading.ItemStats) itemView {
	v := itemView{
		N: st.N, Submitted: st.Submitted, DiscN: st.DiscriminationN,
		Facility: fmtScore(st.Facility), Discrimination: fmtScore(st.Discrimination),
		Mean: fmtSeconds(st.MeanSeconds), Median: fmtSeconds(st.MedianSeconds), FCR: fmtPercent(st.FCR),
		FacilityFlag: facilityFlag(st.Facility),
	}
	for _, w := range st.WrongDiagnoses {
		v.Wrong = append(v.Wrong, wrongView{Name: env.causeName(loc, w.RootCause), Count: w.Count, Share: fmtPercent(w.Share)})
	}
	return v
}

// facilityFlag is the message key of Moodle's guidance on a facility index:
// 35-64 about right, <= 5 or >= 95 suspicious; empty otherwise.
func facilityFlag(f grading.Figure) string {
	switch {
	case !f.OK:
		return ""
	case f.Value <= 5 || f.Value >= 95:
		return "report.facility_suspicious"
	case f.Value >= 35 && f.Value < 65:
		return "report.facility_right"
	}
	return ""
}
