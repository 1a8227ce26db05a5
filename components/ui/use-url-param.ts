"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

/** A filter kept in the URL search params (shareable, survives reload); default values are left out of the URL. */
export function useUrlParam<T extends string>(name: string, fallback: T, allowed?: readonly T[]): [T, (value: T) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const raw = params.get(name);
  const value = raw !== null && (!allowed || (allowed as readonly string[]).includes(raw)) ? (raw as T) : fallback;
  const set = useCallback(
    (v: T) => {
      const next = new URLSearchParams(params.toString());
      if (v === fallback) next.delete(name);
      else next.set(name, v);
      const q = next.toString();
      router.replace(q ? `${pathname}?${q}` : pathname, { scroll: false });
    },
    [params, router, pathname, name, fallback],
  );
  return [value, set];
}
