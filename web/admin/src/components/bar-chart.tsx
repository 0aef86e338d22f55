import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  colour: string;
}

/**
 * Bars per category with uPlot (about 50 KB, canvas). The chart is a picture for those who would
 * rather look than read: it is hidden from screen readers, and every page that draws one shows the
 * same numbers in a table beside it. Its width follows its box, so it fits a 360 px phone.
 */
export function BarChart({
  labels,
  series,
  height = 220,
  max,
}: {
  labels: string[];
  series: ChartSeries[];
  height?: number;
  max?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    // Grouped bars: each category takes one x position per series (and a gap after them when
    // there are several); a series has values only at its own positions.
    const n = series.length;
    const stride = n > 1 ? n + 1 : 1;
    const xs = Array.from({ length: labels.length * stride }, (_, i) => i);
    const data = series.map((s, i) => xs.map((x) => (x % stride === i ? (s.values[Math.floor(x / stride)] ?? null) : null)));
    const centres = labels.map((_, k) => k * stride + (n - 1) / 2);
    const chart = new uPlot(
      {
        width: Math.max(240, element.clientWidth),
        height,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, xs.length - (stride > 1 ? 1.5 : 0.5)] },
          y: max === undefined ? {} : { range: [0, max] },
        },
        axes: [
          {
            // Every label where there is room (about 40 px each), else every second, third…
            splits: (u: uPlot) => {
              const every = Math.max(1, Math.ceil((labels.length * 40) / Math.max(1, u.width - 60)));
              return centres.filter((_, k) => k % every === 0);
            },
            values: (_u, ticks) => ticks.map((t) => labels[Math.round((t - (n - 1) / 2) / stride)] ?? ''),
            grid: { show: false },
            space: 40,
            gap: 4,
          },
          { size: 50 },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.colour,
            fill: s.colour,
            width: 0,
            points: { show: false },
            paths: uPlot.paths.bars!({ size: [0.9, 60] }),
          })),
        ],
      },
      [xs, ...data] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(240, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [labels, series, height, max]);
  return <div ref={box} className="chart" aria-hidden="true" />;
}
