import type { Upload } from '../api.ts';
import { bytes, count, formatLines, plural, roleWords, typeWords, warningWords } from '../words.ts';

/** How we read the file: its size, format and columns, and what to keep in mind. */
export function ReadingSummary({ upload }: { upload: Upload }) {
  return (
    <div class="reading">
      <p class="lede">
        <strong>{upload.fileName}</strong> has {plural(upload.rowCount, 'row')} and{' '}
        {plural(upload.columns.length, 'column')} ({bytes(upload.sizeBytes)}).
      </p>
      <dl class="format">
        {formatLines(upload).map((line) => (
          <div key={line.label}>
            <dt>{line.label}</dt>
            <dd>{line.value}</dd>
          </div>
        ))}
      </dl>
      {upload.warnings.length > 0 && (
        <div class="warnings">
          <h3>Worth knowing</h3>
          <ul>
            {upload.warnings.map((warning, index) => (
              <li key={`${warning.code}-${index}`}>
                <strong>{warningWords[warning.code] ?? 'Note'}:</strong> {warning.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <h3>Columns</h3>
      <table class="columns">
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Holds</th>
            <th scope="col">Used as</th>
            <th scope="col">Empty cells</th>
            <th scope="col">Examples</th>
          </tr>
        </thead>
        <tbody>
          {upload.columns.map((column) => (
            <tr key={column.name}>
              <th scope="row">{column.name}</th>
              <td data-label="Holds">
                {typeWords[column.type] ?? column.type}
                <span class="muted small"> · {plural(column.distinct, 'different value')}</span>
              </td>
              <td data-label="Used as">{roleWords[column.role] ?? column.role}</td>
              <td data-label="Empty cells" class={column.missing > 0 ? 'has-missing' : ''}>
                {column.missing === 0
                  ? 'none'
                  : `${count(column.missing)} (${((100 * column.missing) / Math.max(1, upload.rowCount)).toFixed(1)}%)`}
              </td>
              <td data-label="Examples" class="examples">
                {column.examples.join(' · ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
