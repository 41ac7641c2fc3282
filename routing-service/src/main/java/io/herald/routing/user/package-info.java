/** The user API (API.md section 2): profiles, preferences, devices, topic subscriptions, erasure. */
@NullMarked
package io.herald.routing.user;

import org.jspecify.annotations.NullMarked;
