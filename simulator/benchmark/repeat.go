package benchmark

import "sort"

// kindOrder is the order of the kinds in repeat r: bare first in even
// repeats, impaired first in odd ones.
func kindOrder(r int) []string {
	if r%2 == 1 {
		return []string{"impaired", "bare"}
	}
	return []string{"bare", "impaired"}
}

// median returns the run of median CPU per call-second (the lower of the
// two middle ones for an even count), so that every figure of the row
// comes from one real run.
func median(runs []Result) Result {
	if len(runs) == 0 {
		return Result{}
	}
	sorted := append([]Result(nil), runs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].CPUPerCallSecond < sorted[j].CPUPerCallSecond })
	return sorted[(len(sorted)-1)/2]
}

// spread returns the runs of least and most CPU among those of r's kind
// and count, when there is more than one.
func spread(runs []Result, r Result) (lo, hi Result, ok bool) {
	n := 0
	for _, x := range runs {
		if x.Kind != r.Kind || x.Calls != r.Calls {
			continue
		}
		if n == 0 || x.CPUPerCallSecond < lo.CPUPerCallSecond {
			lo = x
		}
		if n == 0 || x.CPUPerCallSecond > hi.CPUPerCallSecond {
			hi = x
		}
		n++
	}
	return lo, hi, n > 1
}
