/**
 * Server-rendered SVG charts with their data beside them. Each chart is an image with a title
 * and a description (role="img", aria-labelledby) for screen readers, and the same numbers
 * follow as a table, so nothing is only in the picture. A suppressed value draws no bar and says
 * "suppressed"; it is never drawn as zero.
 */

export interface ChartDatum {
  readonly label: string;
  readonly value: number | null;
}

export function formatNumber(value: number, unit: 'count' | 'percent' | 'rate' = 'count'): string {
  if (unit === 'percent') return `${value.toFixed(1)} %`;
  if (unit === 'rate') return value.toFixed(2);
  return value.toLocaleString('en-US');
}

/** An RFC 3339 UTC timestamp as people read it: `2026-05-02 00:00 UTC`, `… 00:00:30 UTC`. */
export function readableTime(timestamp: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(\.\d+)?Z$/.exec(timestamp);
  if (m === null) return timestamp;
  // Seconds only when there are some: the demo's releases are 30 seconds apart.
  const seconds = m[3] === undefined || m[3] === ':00' ? '' : m[3];
  return `${m[1]} ${m[2]}${seconds} UTC`;
}

const BAR_HEIGHT = 22;
const GAP = 8;
const LABEL_WIDTH = 300;
const VALUE_WIDTH = 110;
const PLOT_WIDTH = 400;

/** A horizontal bar chart of labelled values. */
export function BarChart(props: {
  id: string;
  title: string;
  description: string;
  data: readonly ChartDatum[];
  unit: 'count' | 'percent';
}) {
  const max = Math.max(1, ...props.data.map((d) => d.value ?? 0));
  const width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
  const height = props.data.length * (BAR_HEIGHT + GAP) + GAP;
  return (
    <svg
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.description}</desc>
      {props.data.map((d, i) => {
        const y = GAP + i * (BAR_HEIGHT + GAP);
        const w =
          d.value === null ? 0 : Math.max(d.value > 0 ? 2 : 0, (d.value / max) * PLOT_WIDTH);
        return (
          <g>
            <text x={LABEL_WIDTH - 8} y={y + 16} text-anchor="end" font-size="13" fill="#1b1f24">
              {d.label}
            </text>
            {d.value === null ? (
              <text
                x={LABEL_WIDTH + 4}
                y={y + 16}
                font-size="13"
                font-style="italic"
                fill="#4a525c"
              >
                suppressed
              </text>
            ) : (
              <rect x={LABEL_WIDTH} y={y} width={w.toFixed(1)} height={BAR_HEIGHT} fill="#2f6fb0" />
            )}
            {d.value === null ? null : (
              <text x={LABEL_WIDTH + w + 6} y={y + 16} font-size="13" fill="#1b1f24">
                {formatNumber(d.value, props.unit)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

const SERIES_HEIGHT = 180;
const SERIES_WIDTH = 720;
const SERIES_LEFT = 70;
const SERIES_BOTTOM = 30;

/** Columns over time (oldest left), e.g. the log's size per day. */
export function ColumnChart(props: {
  id: string;
  title: string;
  description: string;
  data: readonly { readonly label: string; readonly value: number }[];
}) {
  const max = Math.max(1, ...props.data.map((d) => d.value));
  const n = Math.max(1, props.data.length);
  const step = (SERIES_WIDTH - SERIES_LEFT) / n;
  const plot = SERIES_HEIGHT - SERIES_BOTTOM;
  const first = props.data[0];
  const last = props.data[props.data.length - 1];
  return (
    <svg
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      viewBox={`0 0 ${SERIES_WIDTH} ${SERIES_HEIGHT}`}
      width={SERIES_WIDTH}
      height={SERIES_HEIGHT}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.description}</desc>
      <line x1={SERIES_LEFT} y1={plot} x2={SERIES_WIDTH} y2={plot} stroke="#4a525c" />
      <text x={SERIES_LEFT - 6} y={14} text-anchor="end" font-size="12" fill="#1b1f24">
        {formatNumber(max)}
      </text>
      <text x={SERIES_LEFT - 6} y={plot} text-anchor="end" font-size="12" fill="#1b1f24">
        0
      </text>
      {props.data.map((d, i) => {
        const h = (d.value / max) * (plot - 8);
        return (
          <rect
            x={(SERIES_LEFT + i * step + step * 0.1).toFixed(1)}
            y={(plot - h).toFixed(1)}
            width={Math.max(1, step * 0.8).toFixed(1)}
            height={h.toFixed(1)}
            fill="#2f6fb0"
          />
        );
      })}
      {first === undefined ? null : (
        <text x={SERIES_LEFT} y={SERIES_HEIGHT - 8} font-size="12" fill="#1b1f24">
          {first.label}
        </text>
      )}
      {last === undefined || last === first ? null : (
        <text
          x={SERIES_WIDTH}
          y={SERIES_HEIGHT - 8}
          text-anchor="end"
          font-size="12"
          fill="#1b1f24"
        >
          {last.label}
        </text>
      )}
    </svg>
  );
}

/** A horizontal gauge of a percentage with marks at the given thresholds. */
export function Gauge(props: {
  id: string;
  title: string;
  description: string;
  percent: number;
  marks: readonly { readonly at: number; readonly label: string }[];
}) {
  const width = 720;
  const left = 10;
  const plot = width - 2 * left;
  const x = (p: number) => left + (Math.min(100, Math.max(0, p)) / 100) * plot;
  return (
    <svg
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      viewBox={`0 0 ${width} 80`}
      width={width}
      height={80}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.description}</desc>
      <rect x={left} y={20} width={plot} height={26} fill="#e4e8ee" stroke="#8a95a3" />
      <rect
        x={left}
        y={20}
        width={(x(props.percent) - left).toFixed(1)}
        height={26}
        fill="#2f6fb0"
      />
      {props.marks.map((m) => (
        <g>
          <line x1={x(m.at)} y1={14} x2={x(m.at)} y2={52} stroke="#1b1f24" stroke-width="2" />
          <text x={x(m.at)} y={68} text-anchor="middle" font-size="12" fill="#1b1f24">
            {m.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
