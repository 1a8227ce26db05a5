import type { Metadata } from "next";
import { AdminOnly } from "@/components/admin/admin-only";
import { AuditLog } from "@/components/admin/audit-log";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit" };

/** Who changed what, and who was refused (admin only). */
export default function AuditPage() {
  return (
    <>
      <h1>Audit</h1>
      <AdminOnly>
        <AuditLog />
      </AdminOnly>
    </>
  );
}
