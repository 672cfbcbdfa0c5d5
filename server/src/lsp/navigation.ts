/**
 * Hover and go-to-definition over the model and the workspace index: a register row explains its RPN,
 * an id anywhere jumps to (and summarises) where it is defined.
 */
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { basename, type Definition, type DocumentModel, type Item, type Position, type Role, type WorkspaceIndex } from '../engine/index.js';

/** An id worth looking up: letters, a separator and a digit (`G-003`, `FM-12`), as the index defines them. */
const ID_TOKEN = /[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+/g;

/** The id-like token under a position, with its range, or undefined. */
export function idAt(model: DocumentModel, position: Position): { id: string; start: number; end: number } | undefined {
  const line = model.lines.lines[position.line];
  if (line === undefined) return undefined;
  for (const m of line.matchAll(ID_TOKEN)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (position.character < start || position.character > end) continue;
    const id = m[0].replace(/[.]+$/, '');
    return /\d/.test(id) ? { id, start, end: start + id.length } : undefined;
  }
  return undefined;
}

export function definitionsAt(model: DocumentModel, position: Position, index: WorkspaceIndex): Definition[] {
  const hit = idAt(model, position);
  return hit ? index.definitions(hit.id) : [];
}

export function hoverAt(model: DocumentModel, position: Position, index: WorkspaceIndex | undefined): Hover | null {
  if (position.line >= model.lines.lineCount) return null;
  const item = itemAt(model, position);
  if (item) {
    const value = describeItem(item);
    if (value) return { contents: markdown(value), range: item.range };
  }
  const hit = idAt(model, position);
  if (!hit || !index) return null;
  const defs = index.definitions(hit.id).filter((d) => !(d.path === model.path && d.range.start.line === position.line));
  if (defs.length === 0) return null;
  const lines = defs.slice(0, 5).map((d) => {
    const rpn = d.rpn !== undefined ? ` · RPN ${d.rpn}` : '';
    return `- **${d.id}** in \`${basename(d.path)}\` line ${d.range.start.line + 1} (${d.kind})${rpn}`;
  });
  if (defs.length > 5) lines.push(`- … and ${defs.length - 5} more`);
  return {
    contents: markdown(lines.join('\n')),
    range: { start: { line: position.line, character: hit.start }, end: { line: position.line, character: hit.end } },
  };
}

function itemAt(model: DocumentModel, position: Position): Item | undefined {
  return model.items.find((item) => {
    if (item.source === 'table') return item.line === position.line;
    const r = item.id?.range;
    return !!r && r.start.line === position.line && r.start.character <= position.character && position.character <= r.end.character;
  });
}

function describeItem(item: Item): string | undefined {
  const text = (role: Role) => item.fields[role]?.text.trim() || undefined;
  const num = (role: Role) => {
    const m = /^\s*(-?\d+(?:\.\d+)?)/.exec(text(role) ?? '');
    return m ? Number(m[1]) : undefined;
  };
  const head = [item.id ? `**${item.id.text}**` : undefined, text('title')].filter(Boolean).join(' — ');
  const lines: string[] = [];
  if (head) lines.push(head);
  const s = num('severity');
  const o = num('occurrence');
  const d = num('detection');
  const rpn = num('rpn');
  if (s !== undefined && o !== undefined && d !== undefined) {
    const product = s * o * d;
    let line = `S ${s} × O ${o} × D ${d} = **${product}**`;
    if (rpn !== undefined && rpn !== product) line += ` (the table says ${rpn})`;
    lines.push(line);
  } else if (rpn !== undefined) {
    lines.push(`RPN **${rpn}**`);
  }
  const facts = (
    [
      ['Priority', text('priority')],
      ['Owner', text('owner')],
      ['Status', text('status')],
      ['Due', text('due')],
    ] as const
  )
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}: ${v}`);
  if (facts.length) lines.push(facts.join(' · '));
  return lines.length > (head ? 1 : 0) ? lines.join('\n\n') : undefined;
}

function markdown(value: string): MarkupContent {
  return { kind: 'markdown', value };
}
