package main

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
)

type point struct{ x, y float64 }

type series struct {
	name   string
	points []point
}

// curve is a line chart with a linear axis each way, written as plain SVG.
type curve struct {
	xLabel, yLabel string
	series         []series
}

func (c *curve) svg() []byte {
	const w, h, left, right, top, bottom = 640, 400, 70, 20, 20, 50
	maxX, maxY := 1.0, 1.0
	for _, s := range c.series {
		for _, p := range s.points {
			maxX, maxY = math.Max(maxX, p.x), math.Max(maxY, p.y)
		}
	}
	maxY = niceCeil(maxY)
	px := func(x float64) float64 { return left + x/maxX*(w-left-right) }
	py := func(y float64) float64 { return h - bottom - y/maxY*(h-top-bottom) }
	colors := []string{"#c0392b", "#2471a3", "#1e8449"}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", w, h)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", w, h)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", left, h-bottom, w-right, h-bottom)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", left, top, left, h-bottom)
	for i := 0; i <= 4; i++ {
		y, x := maxY*float64(i)/4, maxX*float64(i)/4
		fmt.Fprintf(&b, `<text x="%d" y="%.0f" text-anchor="end">%.0f</text>`+"\n", left-6, py(y)+4, y)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.0f" x2="%d" y2="%.0f" stroke="#ddd"/>`+"\n", left, py(y), w-right, py(y))
		fmt.Fprintf(&b, `<text x="%.0f" y="%d" text-anchor="middle">%.0f</text>`+"\n", px(x), h-bottom+16, x)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n", (left+w-right)/2, h-12, c.xLabel)
	fmt.Fprintf(&b, `<text x="16" y="%d" text-anchor="middle" transform="rotate(-90 16 %d)">%s</text>`+"\n",
		(top+h-bottom)/2, (top+h-bottom)/2, c.yLabel)
	for i, s := range c.series {
		col := colors[i%len(colors)]
		var pts bytes.Buffer
		for _, p := range s.points {
			fmt.Fprintf(&pts, "%.1f,%.1f ", px(p.x), py(p.y))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", px(p.x), py(p.y), col)
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", col, bytes.TrimSpace(pts.Bytes()))
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">%s</text>`+"\n", left+12, top+16+16*i, col, s.name)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="#777">etcd %s, %s</text>`+"\n", w-right, top+12, etcdVersion(), runtime.Version())
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}
