"use client";

/* Last-resort boundary (the root layout itself failed): plain HTML, no app styles. */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", padding: 24 }}>
        <h1>The dashboard could not start</h1>
        <p>The server hit an error while preparing the page. It has been logged.</p>
        <button type="button" onClick={() => reset()}>
          Retry
        </button>
      </body>
    </html>
  );
}
