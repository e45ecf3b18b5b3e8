package netpath

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrUnknown matches (errors.Is) every lookup of a network type, region or
// edge node the model does not know.
var ErrUnknown = errors.New("netpath: unknown")

// Region is where the customer is, at the grain of China's seven
// geographical regions, which is the grain IP location tells reliably.
type Region string

// The regions of the latency table.
const (
	NorthChina     Region = "north_china"
	NortheastChina Region = "northeast_china"
	EastChina      Region = "east_china"
	SouthChina     Region = "south_china"
	CentralChina   Region = "central_china"
	SouthwestChina Region = "southwest_china"
	NorthwestChina Region = "northwest_china"
)

// Node is an edge node of the service, named by its city as scenarios do
// (customer.edge_node).
type Node string

// The edge nodes of the latency table.
const (
	Beijing   Node = "beijing"
	Shanghai  Node = "shanghai"
	Guangzhou Node = "guangzhou"
	Shenzhen  Node = "shenzhen"
	Wuhan     Node = "wuhan"
	Chengdu   Node = "chengdu"
)

// Regions lists the regions of the table in a stable order.
func Regions() []Region {
	return []Region{NorthChina, NortheastChina, EastChina, SouthChina, CentralChina, SouthwestChina, NorthwestChina}
}

// Nodes lists the edge nodes of the table in a stable order.
func Nodes() []Node { return []Node{Beijing, Shanghai, Guangzhou, Shenzhen, Wuhan, Chengdu} }

// edgeMillis is the table behind EdgeDelay, in the order of Nodes. It is a
// function so the package holds no mutable state.
func edgeMillis(r Region) ([]float64, bool) {
	switch r {
	//                         beijing shanghai guangzhou shenzhen wuhan chengdu
	case NorthChina:
		return []float64{5, 16, 38, 39, 14, 24}, true
	case NortheastChina:
		return []float64{10, 22, 45, 46, 22, 32}, true
	case EastChina:
		return []float64{16, 5, 18, 19, 11, 22}, true
	case SouthChina:
		return []float64{40, 18, 6, 7, 14, 20}, true
	case CentralChina:
		return []float64{14, 11, 13, 14, 4, 14}, true
	case SouthwestChina:
		return []float64{24, 22, 20, 21, 14, 5}, true
	case NorthwestChina:
		return []float64{16, 22, 30, 31, 15, 12}, true
	default:
		return nil, false
	}
}

// EdgeDelay is the one-way delay from the customer's ISP access in region to
// the edge node: backbone, interconnect and the node's own network. Fibre
// carries a signal ~200 km per ms and routes run 1.5-2x the straight line,
// and crossing carriers or regions adds interconnect hops, so a South-China
// customer is ~40 ms one way from Beijing (about 2,000 km, two carriers)
// and ~6 ms from Guangzhou. Shenzhen is a secondary node in the same region
// one ms further, so NearestNode(SouthChina) is Guangzhou, as the support
// playbook says.
func EdgeDelay(region Region, node Node) (time.Duration, error) {
	row, ok := edgeMillis(region)
	if !ok {
		return 0, fmt.Errorf("region %q: %w", region, ErrUnknown)
	}
	for k, n := range Nodes() {
		if n == node {
			return time.Duration(row[k] * float64(time.Millisecond)), nil
		}
	}
	return 0, fmt.Errorf("edge node %q: %w", node, ErrUnknown)
}

// NearestNode is the edge node with the lowest EdgeDelay from region; ties
// go to the first in Nodes.
func NearestNode(region Region) (Node, error) {
	row, ok := edgeMillis(region)
	if !ok {
		return "", fmt.Errorf("nearest node to region %q: %w", region, ErrUnknown)
	}
	best := 0
	for k := range row {
		if row[k] < row[best] {
			best = k
		}
	}
	return Nodes()[best], nil
}

// RegionOf reads a region from a location as scenarios and IP-location
// databases write it, English or Chinese ("Shenzhen, Guangdong",
// "广东省深圳市", "Xuhui, Shanghai", or a region's name like "South China"
// or "华南"): a region's name wins, then the first province or municipality
// found, then a large city written without its province.
func RegionOf(location string) (Region, error) {
	l := strings.ToLower(location)
	for _, names := range regionNames() {
		for _, n := range names.keys {
			if strings.Contains(l, n) {
				return names.region, nil
			}
		}
	}
	for _, table := range [][]keys{provinces(), cities()} {
		for _, names := range table {
			for _, n := range names.keys {
				if strings.Contains(l, n) {
					return names.region, nil
				}
			}
		}
	}
	return "", fmt.Errorf("region of location %q: %w", location, ErrUnknown)
}

type keys struct {
	region Region
	keys   []string
}

func regionNames() []keys {
	return []keys{
		{NortheastChina, []string{"northeast china", "东北"}},
		{NorthwestChina, []string{"northwest china", "西北"}},
		{SouthwestChina, []string{"southwest china", "西南"}},
		{NorthChina, []string{"north china", "华北"}},
		{EastChina, []string{"east china", "华东"}},
		{SouthChina, []string{"south china", "华南"}},
		{CentralChina, []string{"central china", "华中"}},
	}
}

// provinces maps each province-level division to its region, by the usual
// seven-region division of China. "Shanxi" and "Shaanxi" differ by a letter
// and neither contains the other.
func provinces() []keys {
	return []keys{
		{NorthChina, []string{"beijing", "北京", "tianjin", "天津", "hebei", "河北", "shanxi", "山西", "inner mongolia", "内蒙古"}},
		{NortheastChina, []string{"liaoning", "辽宁", "jilin", "吉林", "heilongjiang", "黑龙江"}},
		{EastChina, []string{"shanghai", "上海", "jiangsu", "江苏", "zhejiang", "浙江", "anhui", "安徽",
			"fujian", "福建", "jiangxi", "江西", "shandong", "山东"}},
		{SouthChina, []string{"guangdong", "广东", "guangxi", "广西", "hainan", "海南"}},
		{CentralChina, []string{"henan", "河南", "hubei", "湖北", "hunan", "湖南"}},
		{SouthwestChina, []string{"chongqing", "重庆", "sichuan", "四川", "guizhou", "贵州", "yunnan", "云南", "tibet", "xizang", "西藏"}},
		{NorthwestChina, []string{"shaanxi", "陕西", "gansu", "甘肃", "qinghai", "青海", "ningxia", "宁夏", "xinjiang", "新疆"}},
	}
}

// cities catches locations written as a city alone.
func cities() []keys {
	return []keys{
		{SouthChina, []string{"guangzhou", "广州", "shenzhen", "深圳", "dongguan", "东莞", "foshan", "佛山"}},
		{EastChina, []string{"hangzhou", "杭州", "nanjing", "南京", "suzhou", "苏州", "xiamen", "厦门", "qingdao", "青岛"}},
		{CentralChina, []string{"wuhan", "武汉", "changsha", "长沙", "zhengzhou", "郑州"}},
		{SouthwestChina, []string{"chengdu", "成都", "kunming", "昆明"}},
		{NorthwestChina, []string{"xi'an", "西安"}},
		{NortheastChina, []string{"shenyang", "沈阳", "harbin", "哈尔滨", "dalian", "大连"}},
	}
}
