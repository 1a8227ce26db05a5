import type { Metadata } from "next";
import Link from "next/link";
import { AdminOnly } from "@/components/admin/admin-only";
import { KeysCard } from "@/components/admin/api-keys";
import { PeopleCard } from "@/components/admin/people-admin";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "People" };

/** People and API keys (admin only). Client-side reads: they are few, and only an admin's. */
export default function AdminPage() {
  return (
    <>
      <div className="page-head">
        <h1>People</h1>
        <Link href="/audit">Audit trail →</Link>
      </div>
      <AdminOnly>
        <PeopleCard />
        <KeysCard />
      </AdminOnly>
    </>
  );
}
