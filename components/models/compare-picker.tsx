/** Pick the version to compare with the deployed one: a plain GET form (works without JavaScript). */
export function ComparePicker({ choices, primary, selected }: { choices: number[]; primary: number | null; selected: number | null }) {
  const others = choices.filter((v) => v !== primary);
  if (others.length === 0) return null;
  return (
    <form method="get" action="/models" className="toolbar" data-testid="compare-picker">
      <label className="small">
        Compare v{primary} with{" "}
        <select name="version" defaultValue={selected ?? undefined} aria-label="Version to compare with the deployed one">
          {others.map((v) => (
            <option key={v} value={v}>
              v{v}
            </option>
          ))}
        </select>
      </label>{" "}
      <button type="submit" className="secondary">
        Compare
      </button>
    </form>
  );
}
