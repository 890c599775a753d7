import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';
import { de, en } from '../../../src/i18n/catalogue.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SRC = join(ROOT, 'src');

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('message catalogue', () => {
  it('has a non-empty English text for every German key and vice versa', () => {
    const deKeys = Object.keys(de).sort();
    const enKeys = Object.keys(en).sort();
    expect(enKeys.filter((k) => !(k in de)), 'English keys without German').toEqual([]);
    expect(deKeys.filter((k) => !(k in en)), 'German keys without English').toEqual([]);
    const dict = { de: de as Record<string, string>, en: en as Record<string, string> };
    const empty = deKeys.flatMap((k) =>
      (['de', 'en'] as const).filter((lang) => !dict[lang][k]?.trim()).map((lang) => `${lang}: ${k}`),
    );
    expect(empty, 'empty texts').toEqual([]);
  });

  it('uses the same {placeholders} in both languages', () => {
    const mismatched = Object.keys(de)
      .map((k) => ({
        key: k,
        de: placeholders((de as Record<string, string>)[k]!),
        en: placeholders((en as Record<string, string>)[k] ?? ''),
      }))
      .filter((m) => m.de.join() !== m.en.join())
      .map((m) => `${m.key}: de {${m.de.join(', ')}} vs en {${m.en.join(', ')}}`);
    expect(mismatched).toEqual([]);
  });
});

// --- hard-coded visible strings in components ----------------------------------------------

/** Attributes a person reads or hears; their values must come from the catalogue. */
const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'aria-description']);
const LETTER = /\p{L}/u;

/**
 * Literal text allowed in templates, by file: language names shown in their own language
 * (a language picker must not translate them) and toolbar glyphs that carry a visually
 * hidden, translated label next to them.
 */
const ALLOWED: Record<string, readonly string[]> = {
  'src/ui/App.svelte': ['Deutsch', 'English'],
  'src/ui/case/RichText.svelte': ['B', 'I'],
};

interface Finding {
  line: number;
  text: string;
}

type Node = { type?: string; start?: number; name?: string; [key: string]: unknown };

/** String literals an expression tag would print as they are ({'Text'}, {a ?? 'Text'}, {`Text`}). */
function literalTexts(expr: Node | undefined): { start: number; text: string }[] {
  if (!expr || typeof expr !== 'object') return [];
  switch (expr.type) {
    case 'Literal':
      return typeof expr['value'] === 'string' ? [{ start: expr.start ?? 0, text: expr['value'] }] : [];
    case 'TemplateLiteral':
      return ((expr['quasis'] as Node[]) ?? []).map((q) => ({
        start: q.start ?? 0,
        text: String((q['value'] as { cooked?: string; raw: string }).cooked ?? (q['value'] as { raw: string }).raw),
      }));
    case 'ConditionalExpression':
      return [...literalTexts(expr['consequent'] as Node), ...literalTexts(expr['alternate'] as Node)];
    case 'LogicalExpression':
      return [...literalTexts(expr['left'] as Node), ...literalTexts(expr['right'] as Node)];
    default:
      return [];
  }
}

/**
 * Visible text written into a component instead of taken from the catalogue: template text
 * with a letter, literal strings printed by `{…}`, and literal values of the attributes
 * people read (aria-label, title, placeholder, alt, aria-description). <script> and <style>
 * are not template text and are skipped.
 */
export function findHardCodedStrings(source: string, allowed: readonly string[] = []): Finding[] {
  const ast = parse(source, { modern: true });
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const found: Finding[] = [];
  const report = (start: number, raw: string) => {
    const text = raw.trim().replace(/\s+/g, ' ');
    if (LETTER.test(text) && !allowed.includes(text)) found.push({ line: lineOf(start), text });
  };

  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if (node.type === 'Text') return report(node.start ?? 0, String(node['data'] ?? ''));
    if (node.type === 'ExpressionTag') {
      for (const lit of literalTexts(node['expression'] as Node)) report(lit.start, lit.text);
      return;
    }
    if ((node.type === 'RegularElement' || node.type === 'SvelteElement') && (node.name === 'style' || node.name === 'script')) {
      return;
    }
    if (Array.isArray(node['attributes'])) {
      for (const attr of node['attributes'] as Node[]) {
        if (attr.type !== 'Attribute' || !VISIBLE_ATTRIBUTES.has(String(attr.name))) continue;
        const parts = attr['value'];
        if (parts === true) continue;
        visit(Array.isArray(parts) ? parts : [parts]);
      }
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'attributes' || key === 'metadata' || key === 'parent') continue;
      if (child && typeof child === 'object') visit(child);
    }
  };
  visit(ast.fragment);
  return found;
}

describe('components take visible text from the catalogue', () => {
  it('finds literal text, printed literals and readable attributes (self-test)', () => {
    const source = [
      '<script lang="ts">let x = "Skript ist egal"; let a = true;</script>',
      '<h1>{t("ok")}</h1>',
      '<p>Hallo Welt</p>',
      '<p> · → 42 </p>',
      '<button aria-label="Schließen" class="close" data-testid="close-button" type="button">×</button>',
      '<img alt={"Foto"} src="x.png" />',
      '<input placeholder="Name {x}" />',
      '<p>{a ? t("ok") : "Nein"}</p>',
      '{#if a}<span title={t("ok")}>B</span>{/if}',
      '<style>p::before { content: "Stil"; }</style>',
    ].join('\n');
    expect(findHardCodedStrings(source, ['B'])).toEqual([
      { line: 3, text: 'Hallo Welt' },
      { line: 5, text: 'Schließen' },
      { line: 6, text: 'Foto' },
      { line: 7, text: 'Name' },
      { line: 8, text: 'Nein' },
    ]);
  });

  it('finds no hard-coded visible strings in src/**/*.svelte', () => {
    const findings = filesUnder(SRC, '.svelte').flatMap((file) => {
      const rel = relative(ROOT, file).split('\\').join('/');
      return findHardCodedStrings(readFileSync(file, 'utf8'), ALLOWED[rel] ?? []).map(
        (f) => `${rel}:${f.line}: ${JSON.stringify(f.text)}`,
      );
    });
    expect(findings, 'Put these texts into src/i18n/messages/*.ts and use t()').toEqual([]);
  });
});

// --- every literal key passed to t() exists ---------------------------------------------------

describe('message keys used in code', () => {
  it('exist in the catalogue', () => {
    const files = [...filesUnder(SRC, '.svelte'), ...filesUnder(SRC, '.ts')];
    const missing: string[] = [];
    let used = 0;
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      // Literal keys only: template-literal keys (t(`status.${s}`)) are checked by TypeScript.
      for (const match of source.matchAll(/(?<![\w$.])t\(\s*(['"])((?:(?!\1)[^\\\n])+)\1/g)) {
        used++;
        if (!(match[2]! in de)) {
          const line = source.slice(0, match.index).split('\n').length;
          missing.push(`${relative(ROOT, file)}:${line}: ${match[2]}`);
        }
      }
    }
    expect(used).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });
});
