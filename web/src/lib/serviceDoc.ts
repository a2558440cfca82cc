// A service of the catalogue as a replacement (PUT) sends it: the listing adds
// fields the server keeps itself (tenant, timestamps), which a PUT refuses.
export function serviceDocument<T extends Record<string, unknown>>(s: T): Omit<T, 'createdAt' | 'updatedAt' | 'tenant'> {
  const { createdAt: _c, updatedAt: _u, tenant: _t, ...doc } = s;
  return doc;
}
