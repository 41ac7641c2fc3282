/**
 * Digests (docs/adr/036): tenants' digest settings per category pattern, their API, and
 * the rule that decides whether a notification for a user is digested.
 */
@NullMarked
package io.herald.routing.digest;

import org.jspecify.annotations.NullMarked;
