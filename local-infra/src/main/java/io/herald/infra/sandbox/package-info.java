/**
 * Real local HTTP servers speaking the protocols of Herald's delivery providers, for
 * tests and the local stack: Firebase Cloud Messaging HTTP v1
 * ({@link io.herald.infra.sandbox.FcmSandbox}) and Twilio's Messages API
 * ({@link io.herald.infra.sandbox.TwilioSandbox}). Each records what it accepted and
 * answers errors in its provider's own format, so the providers' SDKs map them to their
 * own error codes. Nothing here is a mock.
 */
@NullMarked
package io.herald.infra.sandbox;

import org.jspecify.annotations.NullMarked;
