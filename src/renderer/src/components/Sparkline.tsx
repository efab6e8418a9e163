// Events per second over the last minutes, as an SVG line with its peak marked.
import type { EpsPoint } from '../stores/live';

export function Sparkline({
  points,
  width = 600,
  height = 64,
}: {
  points: EpsPoint[];
  width?: number;
  height?: number;
}) {
  if (points.length < 2) {
    return (
      <svg className="spark" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none">
        <line x1={0} x2={width} y1={height - 1} y2={height - 1} className="spark-axis" />
      </svg>
    );
  }
  const peak = Math.max(1, ...points.map((p) => p.eps));
  const first = points[0].second;
  const span = Math.max(1, points[points.length - 1].second - first);
  const xy = points.map((p) => {
    const x = ((p.second - first) / span) * width;
    const y = height - 2 - (p.eps / (peak * 1.15)) * (height - 4);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  const area = `0,${height} ${xy.join(' ')} ${width},${height}`;
  return (
    <svg className="spark" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none">
      <polygon points={area} className="spark-area" />
      <polyline points={xy.join(' ')} className="spark-line" />
    </svg>
  );
}
