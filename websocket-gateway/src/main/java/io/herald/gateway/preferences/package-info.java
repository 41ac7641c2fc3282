/**
 * The user's own preferences with the user token ({@code /v1/inbox/preferences}), kept by
 * routing and reached through its internal endpoint.
 */
@NullMarked
package io.herald.gateway.preferences;

import org.jspecify.annotations.NullMarked;
