"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const PAGES = [
  { href: "/", label: "Overview" },
  { href: "/scores", label: "Scores" },
  { href: "/drift", label: "Drift" },
  { href: "/data", label: "Data" },
  { href: "/models", label: "Models" },
  { href: "/diagnostics", label: "Diagnostics" },
  { href: "/predict", label: "Predict" },
  { href: "/runs", label: "Runs" },
] as const;

export function Nav() {
  const pathname = usePathname();
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">Dynamic Risk Assessment</div>
      {PAGES.map((p) => {
        const active = p.href === "/" ? pathname === "/" : pathname.startsWith(p.href);
        return (
          <Link key={p.href} href={p.href} aria-current={active ? "page" : undefined}>
            {p.label}
          </Link>
        );
      })}
    </nav>
  );
}
