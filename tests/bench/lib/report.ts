import { writeFile } from 'node:fs/promises';

/** One measured figure, as printed in the table and written to bench-results.json. */
export interface Figure {
  id: string;
  label: string;
  value: number;
  unit: string;
  /** The same quantity measured on the baseline in this run, when there is one. */
  baseline: number | null;
  /** value / baseline. */
  ratio: number | null;
  /** Human-readable target; null for figures reported without one. */
  target: string | null;
  /** null when the figure has no target. */
  pass: boolean | null;
  /** Conditions of the measurement a reader needs to interpret the number. */
  note?: string;
}

export interface FigureInput {
  id: string;
  label: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
  pass?: boolean;
  note?: string;
  /** Decimals kept; 1 unless a figure needs more. */
  digits?: number;
}

export function figure(input: FigureInput): Figure {
  const baseline = input.baseline ?? null;
  return {
    id: input.id,
    label: input.label,
    value: round(input.value, input.digits),
    unit: input.unit,
    baseline: baseline === null || Number.isNaN(baseline) ? null : round(baseline, input.digits),
    ratio: baseline === null || !(baseline > 0) || Number.isNaN(input.value) ? null : round(input.value / baseline, 2),
    target: input.target ?? null,
    pass: input.pass ?? null,
    ...(input.note ? { note: input.note } : {}),
  };
}

/** A figure that could not be measured still shows up, failed, with the reason. */
export function unmeasured(id: string, label: string, target: string, reason: string): Figure {
  return figure({ id, label, value: Number.NaN, unit: '', target, pass: false, note: `not measured: ${reason}` });
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function cell(value: number | null, unit = ''): string {
  if (value === null || Number.isNaN(value)) return '–';
  return unit ? `${value} ${unit}` : String(value);
}

/** Markdown table: readable in a terminal and pasteable into README.md as is. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.label,
    cell(f.value, f.unit),
    cell(f.baseline, f.unit),
    f.ratio === null ? '–' : `${f.ratio}×`,
    f.target ?? '–',
    f.pass === null ? '–' : f.pass ? 'pass' : '**FAIL**',
  ]);
  const header = ['Figure', 'Value', 'Baseline', 'Ratio', 'Target', 'Result'];
  const lines = [header, header.map(() => '---'), ...rows].map((cols) => `| ${cols.join(' | ')} |`);
  const notes = figures.filter((f) => f.note).map((f) => `- ${f.label}: ${f.note}`);
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

export interface Results {
  date: string;
  machine: Record<string, string | number>;
  durationSeconds: number;
  figures: Figure[];
  /** Raw samples and settings behind the figures, for later analysis. */
  details: Record<string, unknown>;
  errors: string[];
}

export async function writeResults(path: string, results: Results): Promise<void> {
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}
