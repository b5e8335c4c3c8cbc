/*
 * Server-rendered SVG charts: no script, no library. Each chart is an image
 * with a title and a description for screen readers, and the page puts the
 * table of the same figures beside it.
 */

const INK = "#111827";
const MUTED = "#4b5563";
const BAR = "#1d4ed8";
const GRID = "#d1d5db";

/** Horizontal bars, one per label, with the value written at the end of each bar. */
export function BarChart(props: {
  id: string;
  title: string;
  description: string;
  bars: { label: string; value: number; text: string }[];
}) {
  const labelWidth = 150;
  const barArea = 300;
  const row = 26;
  const height = props.bars.length * row + 8;
  const max = Math.max(1, ...props.bars.map((b) => Math.abs(b.value)));
  return (
    <svg
      class="chart"
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      viewBox={`0 0 ${labelWidth + barArea + 90} ${height}`}
      width={labelWidth + barArea + 90}
      height={height}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.description}</desc>
      {props.bars.map((bar, i) => {
        const y = i * row + 4;
        const width = Math.max(2, Math.round((Math.abs(bar.value) / max) * barArea));
        return (
          <g>
            <text x={labelWidth - 8} y={y + 15} text-anchor="end" fill={INK} font-size="13">
              {bar.label}
            </text>
            <rect x={labelWidth} y={y} width={width} height={row - 8} fill={BAR} />
            <text x={labelWidth + width + 6} y={y + 15} fill={INK} font-size="13">
              {bar.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A line over months on a fixed scale (NPS runs from −100 to 100), each point labelled with its value. */
export function LineChart(props: {
  id: string;
  title: string;
  description: string;
  points: { label: string; value: number; text: string }[];
  min: number;
  max: number;
}) {
  const width = 540;
  const height = 220;
  const left = 44;
  const top = 16;
  const plotWidth = width - left - 20;
  const plotHeight = height - top - 40;
  const x = (i: number) =>
    left + (props.points.length === 1 ? plotWidth / 2 : (i / (props.points.length - 1)) * plotWidth);
  const y = (v: number) => top + ((props.max - v) / (props.max - props.min)) * plotHeight;
  const ticks = [props.max, (props.max + props.min) / 2, props.min];
  const path = props.points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  return (
    <svg
      class="chart"
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.description}</desc>
      {ticks.map((t) => (
        <g>
          <line x1={left} x2={left + plotWidth} y1={y(t)} y2={y(t)} stroke={GRID} />
          <text x={left - 6} y={y(t) + 4} text-anchor="end" fill={MUTED} font-size="12">
            {String(t)}
          </text>
        </g>
      ))}
      <polyline points={path} fill="none" stroke={BAR} stroke-width="2" />
      {props.points.map((p, i) => (
        <g>
          <circle cx={x(i)} cy={y(p.value)} r="4" fill={BAR} />
          <text x={x(i)} y={y(p.value) - 9} text-anchor="middle" fill={INK} font-size="12">
            {p.text}
          </text>
          <text x={x(i)} y={height - 12} text-anchor="middle" fill={MUTED} font-size="12">
            {p.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
