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
    const xs = labels.map((_, i) => i);
    const bars = uPlot.paths.bars!({ size: [0.8 / Math.max(1, series.length), 60], gap: 1 });
    const chart = new uPlot(
      {
        width: Math.max(240, element.clientWidth),
        height,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: max === undefined ? {} : { range: [0, max] } },
        axes: [{ values: (_u, ticks) => ticks.map((t) => labels[t] ?? ''), space: 40, gap: 4 }, { size: 50 }],
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.colour,
            fill: s.colour,
            width: 0,
            paths: bars,
            // Side by side (up to three): the first left of the tick, the last right of it, a middle one on it.
            ...(series.length > 1
              ? { paths: uPlot.paths.bars!({ size: [0.8 / series.length, 60], align: i === 0 ? -1 : i === series.length - 1 ? 1 : 0 }) }
              : {}),
          })),
        ],
      },
      [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
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
