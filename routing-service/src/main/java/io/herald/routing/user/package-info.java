/**
 * The user API (API.md section 2): profiles, preferences, devices, topic subscriptions,
 * erasure.
 *
 * <h2>How it works</h2> User state is event-sourced. Every write becomes one
 * {@code UserCommand} on {@code herald.user-commands} (key {@code tenant|userId},
 * {@code acks=all}); the routing topology folds the commands into the {@code user-state}
 * store. Reads are interactive queries of that store: this instance answers for the
 * partitions it owns and forwards every other read to the owner's {@code GET
 * /actuator/userstate/{tenant}/{userId}}. The tenant always comes from the API key and is
 * part of every key, so another tenant's user is simply not found.
 *
 * <h2>Endpoints</h2>
 * <ul>
 * <li>{@code PUT /v1/users/{userId}}: {@code 200} with the stored profile. {@code GET}:
 * {@code 200}, or {@code 404} for a user that is not known. {@code DELETE}: {@code 204}
 * (erasure; also for a user routing does not know, because other services may hold data
 * about the user).</li>
 * <li>{@code PUT /v1/users/{userId}/preferences}: {@code 200} with the stored
 * preferences. {@code GET}: {@code 200} (the defaults, {@code {"channels": {},
 * "categories": {}}}, for a known user who never set any), {@code 404} for a user that is
 * not known.</li>
 * <li>{@code POST /v1/users/{userId}/devices}: {@code 201} with the stored device and a
 * {@code Location}. {@code GET}: {@code 200 {"devices": [...]}}, oldest first.
 * {@code DELETE /v1/users/{userId}/devices/{token}}: {@code 204}, {@code 404} if the user
 * has no such device. A Web Push token (a URL) is one percent-encoded path segment.</li>
 * <li>{@code PUT /v1/topics/{topic}/subscribers/{userId}}: {@code 200 {"topic",
 * "userId"}} (no body needed). {@code GET}: {@code 200} when subscribed, else
 * {@code 404}. {@code DELETE}: {@code 204}, {@code 404} when not subscribed.</li>
 * <li>{@code GET /v1/users/{userId}/topics} (an addition to API.md): {@code 200
 * {"topics": [...]}}, sorted.</li>
 * <li>{@code GET /v1/users/{userId}/suppressions} (an addition, docs/adr/033): {@code 200
 * {"suppressions": [...]}}, email before sms. {@code PUT
 * /v1/users/{userId}/suppressions/{channel}} ({@code email} or {@code sms}, body
 * {@code {"reason": ...}}): {@code 200} with the suppression of the profile's current
 * address, {@code 404} when the user has none for the channel. {@code DELETE}:
 * {@code 204}, {@code 404} when the channel has no suppression
 * ({@link SuppressionController}).</li>
 * </ul>
 * Writes need the {@code USERS_WRITE} scope, reads {@code USERS_READ} ({@code 403}
 * otherwise).
 *
 * <h2>Decisions where API.md is silent</h2>
 * <ul>
 * <li>A user is known once any write created it (a profile, preferences, a device or a
 * subscription); every read of a user that is not known is {@code 404 not_found},
 * preferences included.</li>
 * <li>{@code PUT} replaces (a profile or preferences field left out is cleared), and
 * answers with what is stored, in canonical form: the locale's canonical case, channels
 * in the order inapp, push, email, sms; absent values are left out, never
 * {@code null}.</li>
 * <li>Read-your-writes: a write waits for the command's acknowledgement (at most
 * {@code herald.routing.users.publish-timeout}, 6 s; then {@code 503} with
 * {@code Retry-After}, and repeating the write is harmless), then until the user state
 * shows it (at most {@code read-your-writes-timeout}, 5 s). If the state is behind, the
 * answer is {@code 202} with what the command asked for: the write is durable and a later
 * read returns it.</li>
 * <li>Reads retry while the store is rebalancing or restoring, or its owner cannot be
 * reached, for at most {@code query-timeout} (5 s), then answer {@code 503} with
 * {@code Retry-After}.</li>
 * <li>Time zones: only ids of the IANA database ({@code Europe/Berlin}, {@code UTC});
 * fixed offsets ({@code +02:00}) are rejected because quiet hours must follow daylight
 * saving time. Locales: BCP 47, 2 or 3 letter language, at most 35 characters. Email: a
 * pragmatic check, at most 254 characters. Phones: E.164. Device tokens by platform, see
 * {@link DeviceValidator}. At most {@value PreferencesValidator#MAX_CATEGORIES} category
 * rules; a rule needs {@code enabled} or a non-empty {@code channels}.</li>
 * <li>Request bodies are limited to 64 KiB ({@code 413 payload_too_large}); unknown JSON
 * fields are ignored.</li>
 * <li>The instances' read endpoint, {@code /actuator/userstate/{tenant}/{userId}}, is on
 * the management port only and takes no API key but requires the shared
 * {@code herald.routing.internal-token} in {@code X-Herald-Internal}. It has no default:
 * without it an instance neither forwards nor answers forwarded reads (one instance needs
 * neither), and a blank, short or placeholder token stops the service at start.</li>
 * <li>The gateway reads and replaces a user's own preferences (user token) through
 * {@code /actuator/userpreferences/{tenant}/{userId}} on the management port, with the
 * same token ({@code UserPreferencesEndpoint}): the same rules and answers as the
 * preferences endpoints above, but the defaults for a user routing does not know.</li>
 * </ul>
 */
@NullMarked
package io.herald.routing.user;

import org.jspecify.annotations.NullMarked;
