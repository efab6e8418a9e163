// Controls the list panels share: the search box that `/` focuses, a filter select whose first
// choice is "any …", and the Refresh button.
import { useRef } from 'react';
import { useKeys } from '../hooks';

/** The panel's search field; `/` anywhere outside a text field focuses it. */
export function SearchBox(props: {
  value: string;
  onChange(value: string): void;
  /** Escape leaves the field (so j/k move through the table again). */
  blurOnEscape?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  useKeys((e) => {
    if (e.key === '/') {
      e.preventDefault();
      input.current?.focus();
    }
  });
  return (
    <input
      ref={input}
      className="search"
      placeholder="Search  /"
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      onKeyDown={
        props.blurOnEscape ? (e) => e.key === 'Escape' && e.currentTarget.blur() : undefined
      }
    />
  );
}

/** A filter on one field: "any <label>" (the empty value) or one of `options`. */
export function AnySelect<T extends string>(props: {
  label: string;
  value: NoInfer<T> | '';
  options: readonly T[];
  onChange(value: NoInfer<T> | ''): void;
  testId?: string;
}) {
  return (
    <select
      value={props.value}
      onChange={(e) => props.onChange(e.target.value as T | '')}
      aria-label={props.label}
      data-testid={props.testId}
    >
      <option value="">any {props.label}</option>
      {props.options.map((o) => (
        <option key={o}>{o}</option>
      ))}
    </select>
  );
}

export function RefreshButton({ onClick }: { onClick(): void }) {
  return (
    <button className="btn" onClick={onClick}>
      Refresh
    </button>
  );
}
