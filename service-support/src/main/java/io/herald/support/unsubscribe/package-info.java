/**
 * Signed one-click unsubscribe links (RFC 8058): what a link turns off
 * ({@code UnsubscribeLink}), signing and checking ({@code UnsubscribeLinks}), their
 * settings and auto-configuration.
 */
@NullMarked
package io.herald.support.unsubscribe;

import org.jspecify.annotations.NullMarked;
