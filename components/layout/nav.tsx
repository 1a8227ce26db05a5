"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { signInPath } from "@/components/auth/next-path";
import { useAccess } from "@/components/auth/use-access";
import { apiSend, errorMessage } from "@/lib/queries/fetcher";

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

/** The admin's pages (an open server's anonymous visitor is an admin too). */
const ADMIN_PAGES = [
  { href: "/admin", label: "People" },
  { href: "/audit", label: "Audit" },
] as const;

export function Nav() {
  const pathname = usePathname();
  const { role } = useAccess();
  const pages = role === "admin" ? [...PAGES, ...ADMIN_PAGES] : PAGES;
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">Dynamic Risk Assessment</div>
      {pages.map((p) => {
        const active = p.href === "/" ? pathname === "/" : pathname.startsWith(p.href);
        return (
          <Link key={p.href} href={p.href} aria-current={active ? "page" : undefined}>
            {p.label}
          </Link>
        );
      })}
      <NavSession />
    </nav>
  );
}

/** Who is signed in, with "Sign out"; or "Sign in" on a server with people when nobody is. */
function NavSession() {
  const { mode, user } = useAccess();
  const pathname = usePathname();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (user) {
    const signOut = async () => {
      setBusy(true);
      setError(null);
      try {
        await apiSend("/api/session", undefined, "DELETE");
        // a full load: nothing of this session stays in the page's memory
        window.location.assign("/signin");
      } catch (e) {
        setError(errorMessage(e));
        setBusy(false);
      }
    };
    return (
      <div className="nav-session" data-testid="nav-session">
        <div className="nav-user">
          <span className="nav-user-name">{user.name}</span> <span className="nav-role">{user.role}</span>
        </div>
        <button type="button" className="nav-button" onClick={() => void signOut()} disabled={busy}>
          {busy ? "Signing out…" : "Sign out"}
        </button>
        {error ? (
          <p className="nav-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    );
  }
  if (mode !== "users" || pathname === "/signin") return null;
  return (
    <div className="nav-session" data-testid="nav-session">
      <Link href={signInPath(pathname)} className="nav-signin">
        Sign in
      </Link>
    </div>
  );
}
