/** Scores per row, table and document, for code lenses, hovers and the report page. */
import type { DocumentModel, Table } from './model.js';
import { itemNumber } from './values.js';
import { perKey } from './memo.js';

export interface TableScore {
  table: Table;
  rows: number;
  /** Highest and mean RPN of the rows that have one. */
  maxRpn: number | undefined;
  meanRpn: number | undefined;
}

export interface DocumentScores {
  kind: DocumentModel['kind'];
  items: number;
  tables: TableScore[];
  /** Checked boxes / all boxes, when the document has task items. */
  checklist: { done: number; total: number } | undefined;
}

export function documentScores(model: DocumentModel): DocumentScores {
  const tables: TableScore[] = model.tables.map((table) => {
    // Each row's RPN is kept while the row is unchanged: a code lens request after an edit reads one row.
    const rows = table.rows;
    const rpns = perKey(model, `scores-rpn:${table.headerLine}`, rows.map((r) => r.item.memoKey), (_key, i) => itemNumber(rows[i]!.item, 'rpn')).filter((n): n is number => n !== undefined);
    return {
      table,
      rows: table.rows.length,
      maxRpn: rpns.length ? Math.max(...rpns) : undefined,
      meanRpn: rpns.length ? rpns.reduce((a, b) => a + b, 0) / rpns.length : undefined,
    };
  });
  const boxes = model.listItems.filter((li) => li.checked !== undefined);
  return {
    kind: model.kind,
    items: model.items.length,
    tables,
    checklist: boxes.length ? { done: boxes.filter((b) => b.checked).length, total: boxes.length } : undefined,
  };
}
