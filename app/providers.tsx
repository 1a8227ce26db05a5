"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { AdminSessionProvider } from "@/components/auth/admin-session";
import { getQueryClient } from "@/lib/queries/get-query-client";

/** The single client wrapper: the browser's QueryClient and the admin-token session prompt. */
export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  return (
    <QueryClientProvider client={queryClient}>
      <AdminSessionProvider>{children}</AdminSessionProvider>
    </QueryClientProvider>
  );
}
