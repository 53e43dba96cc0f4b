import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from 'react';
import type { CombinedError } from 'urql';

/** The API's typed error, as every mutation payload returns it. */
export type UserError = { code: string; message: string; field?: readonly string[] | null };

/** Errors that belong to one input field (by the first step of their path), and the rest. */
export function splitErrors(errors: readonly UserError[] | undefined) {
  const byField = new Map<string, string>();
  const general: UserError[] = [];
  for (const error of errors ?? []) {
    const field = error.field?.[0];
    if (field && !byField.has(field)) byField.set(field, error.message);
    else general.push(error);
  }
  return { byField, general };
}

type FieldProps = { label: string; error?: string | undefined; hint?: string };

function FieldFrame({ label, error, hint, id, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error && <small id={`${id}-hint`}>{hint}</small>}
      {error && (
        <small id={`${id}-error`} className="field__error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

const described = (id: string, error?: string, hint?: string) =>
  error ? `${id}-error` : hint ? `${id}-hint` : undefined;

export function TextField({ label, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <FieldFrame label={label} error={error} hint={hint} id={id}>
      <input id={id} aria-invalid={Boolean(error)} aria-describedby={described(id, error, hint)} {...input} />
    </FieldFrame>
  );
}

export function TextArea({ label, error, hint, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <FieldFrame label={label} error={error} hint={hint} id={id}>
      <textarea id={id} aria-invalid={Boolean(error)} aria-describedby={described(id, error, hint)} {...input} />
    </FieldFrame>
  );
}

export function SelectField({ label, error, hint, options, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly { value: string; label: string }[] }) {
  const id = useId();
  return (
    <FieldFrame label={label} error={error} hint={hint} id={id}>
      <select id={id} aria-invalid={Boolean(error)} aria-describedby={described(id, error, hint)} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** Errors that belong to no field, and failures of the request itself. */
export function Problems({ errors, failure }: { errors?: readonly UserError[]; failure?: CombinedError | undefined }) {
  const messages = [...(errors ?? []).map((e) => e.message), ...(failure ? [describeFailure(failure)] : [])];
  if (!messages.length) return null;
  return (
    <div className="problems" role="alert">
      {messages.map((m, i) => (
        <p key={i}>{m}</p>
      ))}
    </div>
  );
}

export function describeFailure(failure: CombinedError): string {
  if (failure.networkError) return 'The server could not be reached. Check your connection and try again.';
  return failure.graphQLErrors.map((e) => e.message).join(' ') || failure.message;
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export const labelOf = (value: string) => value.charAt(0) + value.slice(1).toLowerCase().replaceAll('_', ' ');

export function formatDate(iso: string) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
