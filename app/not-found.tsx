import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card">
      <h1>Not found</h1>
      <p>There is no page here. The navigation on the left lists every page; the Overview answers “is the model still good?”.</p>
      <p>
        <Link href="/">Go to the Overview</Link>
      </p>
    </div>
  );
}
