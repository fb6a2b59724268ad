/** URL settings never carry credentials: those are config secrets, so they stay encrypted in the stack. */
export const NO_USERINFO = "must not carry a user or password (user:password@host): credentials are config secrets, never part of a URL";
export const noUserinfo = (v: string): boolean => !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(v);
