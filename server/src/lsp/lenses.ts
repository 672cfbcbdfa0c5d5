/** Code lenses from the engine's scores: RPN figures above each scored table, checklist progress on top. */
import type { CodeLens } from 'vscode-languageserver';
import { documentScores, type DocumentModel, type DocumentScores } from '../engine/index.js';

/** `scores`: the model's, when the caller has them (the server computes them with each lint). */
export function codeLenses(model: DocumentModel, scores: DocumentScores = documentScores(model)): CodeLens[] {
  const lenses: CodeLens[] = [];
  if (scores.checklist && scores.checklist.total > 0) {
    const { done, total } = scores.checklist;
    const line = model.title?.line ?? 0;
    lenses.push(label(line, `Checklist ${done}/${total} done (${Math.round((done / total) * 100)}%)`));
  }
  for (const t of scores.tables) {
    if (t.maxRpn === undefined || t.meanRpn === undefined) continue;
    const rows = `${t.rows} ${t.rows === 1 ? 'row' : 'rows'}`;
    lenses.push(label(t.table.headerLine, `${rows} · max RPN ${formatNumber(t.maxRpn)} · mean RPN ${formatNumber(t.meanRpn)}`));
  }
  return lenses;
}

/** A lens that only shows text (an empty command id: not clickable in VS Code). */
function label(line: number, title: string): CodeLens {
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, command: { title, command: '' } };
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 10) / 10);
}
