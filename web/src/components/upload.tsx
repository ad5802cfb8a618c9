import { useState } from 'preact/hooks';
import type { ApiError } from '../api.ts';
import { bytes } from '../words.ts';
import { ErrorBox } from './feedback.tsx';

export interface UploadProgress {
  fileName: string;
  sizeBytes: number;
  /** 0…1 of the bytes sent; at 1 the server is reading the file. */
  fraction: number;
}

/** The server's upload limit, written into the page when it is served (0 when unknown). */
const maxUploadBytes = Number(
  document.querySelector<HTMLMetaElement>('meta[name="datastory-max-upload-bytes"]')?.content ?? 0,
);
const limitKnown = Number.isFinite(maxUploadBytes) && maxUploadBytes > 0;

export interface UploadFailure {
  error: ApiError;
  fileName: string;
  sizeBytes: number;
}

interface DropZoneProps {
  onFile: (file: File) => void;
  uploading: UploadProgress | null;
  failure: UploadFailure | null;
}

/** Step 1: drop or pick a CSV; a progress bar while it travels, then while the server reads it. */
export function DropZone({ onFile, uploading, failure }: DropZoneProps) {
  const [dragging, setDragging] = useState(false);
  const take = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) onFile(file);
  };

  if (uploading) {
    const sent = Math.round(uploading.fraction * 100);
    const reading = uploading.fraction >= 1;
    return (
      <div class="upload-progress" role="status" aria-live="polite">
        <p>
          {reading ? (
            <>
              Reading <strong>{uploading.fileName}</strong>: working out its columns, dates and number formats…
            </>
          ) : (
            <>
              Uploading <strong>{uploading.fileName}</strong> ({bytes(uploading.sizeBytes)}) — {sent}%
            </>
          )}
        </p>
        <progress
          max={100}
          value={reading ? undefined : sent}
          aria-label={reading ? 'Reading the file' : 'Upload progress'}
        />
      </div>
    );
  }

  return (
    <div>
      <label
        class={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          take(event.dataTransfer?.files);
        }}
      >
        <input
          type="file"
          accept=".csv,.tsv,.txt,text/csv"
          class="visually-hidden"
          onChange={(event) => {
            take(event.currentTarget.files);
            event.currentTarget.value = '';
          }}
        />
        <span class="drop-zone-title">Drop a CSV file here</span>
        <span class="button">or choose a file</span>
        <span class="muted small">
          A table with a header row, exported from Excel, Google Sheets or a database
          {limitKnown ? `, up to ${bytes(maxUploadBytes)}.` : '.'}
        </span>
      </label>
      <SampleFiles onFile={onFile} />
      {failure && (
        <ErrorBox error={failure.error}>
          {failure.error.status === 413 && limitKnown && (
            <p>
              This server accepts files up to {bytes(maxUploadBytes)}; {failure.fileName} is {bytes(failure.sizeBytes)}.
            </p>
          )}
        </ErrorBox>
      )}
    </div>
  );
}

const samples = [
  { name: 'gapminder.csv', label: 'Countries, 1955–2005', about: 'life expectancy, fertility, population' },
  { name: 'penguins.csv', label: 'Penguins', about: 'species, islands, body measurements' },
];

/** No CSV at hand: a sample goes through the same upload as a file of one's own. */
function SampleFiles({ onFile }: { onFile: (file: File) => void }) {
  const [failed, setFailed] = useState<string | null>(null);
  const open = async (name: string) => {
    setFailed(null);
    try {
      const response = await fetch(`/samples/${name}`);
      if (!response.ok) throw new Error(String(response.status));
      onFile(new File([await response.blob()], name, { type: 'text/csv' }));
    } catch {
      setFailed(`The sample ${name} could not be loaded; try again, or use a file of your own.`);
    }
  };
  return (
    <div class="samples">
      <p class="muted small">No CSV at hand? Try a sample:</p>
      <ul>
        {samples.map((sample) => (
          <li key={sample.name}>
            <button type="button" class="link-button" onClick={() => open(sample.name)}>
              {sample.label}
            </button>{' '}
            <span class="muted small">({sample.about})</span>
          </li>
        ))}
      </ul>
      {failed && (
        <p class="error-text" role="alert">
          {failed}
        </p>
      )}
    </div>
  );
}
