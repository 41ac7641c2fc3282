package io.herald.routing.user;

import io.herald.events.Channel;
import io.herald.events.SuppressionReason;
import io.herald.events.UserCommand;
import io.herald.events.UserState;
import io.herald.routing.user.Representations.SuppressionBody;
import io.herald.routing.user.Representations.SuppressionsBody;
import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * A user's suppression list (docs/adr/033): the email address and phone number of the
 * profile that Herald does not send to, because a provider refused them for good
 * (delivery records those) or someone added them here. A suppression is about the address
 * the profile has: a profile write that names another address for the channel drops it,
 * one that names the same address keeps it. Only email and SMS have suppressions; every
 * call needs a known user ({@code 404} otherwise).
 */
@RestController
@RequestMapping("/v1/users/{userId}/suppressions")
class SuppressionController {

	private final UserWrites writes;

	private final UserStateQueries queries;

	SuppressionController(UserWrites writes, UserStateQueries queries) {
		this.writes = writes;
		this.queries = queries;
	}

	/** The suppressions, in channel order (email, sms); empty when there are none. */
	@GetMapping
	SuppressionsBody list(@PathVariable String userId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_READ);
		PathVariables.requireUserId(userId);
		return SuppressionsBody.of(known(key, userId).suppressions());
	}

	/**
	 * Suppresses the address the profile has now for the channel, with the body's
	 * {@code reason}: {@code 200} with the stored suppression (replacing the channel's
	 * former one), {@code 404} when the user has no address for the channel.
	 */
	@PutMapping(path = "/{channel}", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<SuppressionBody> suppress(@PathVariable String userId, @PathVariable String channel,
			@RequestBody JsonNode body, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_WRITE);
		Channel suppressed = PathVariables.requireUserIdAndAddressChannel(userId, channel);
		SuppressionReason reason = SuppressionValidator.validate(body).orElseReject();
		String address = known(key, userId).profile().address(suppressed);
		if (address == null) {
			throw noAddress(userId, suppressed);
		}
		UserCommand.SuppressAddress command = new UserCommand.SuppressAddress(UserCommand.SCHEMA_VERSION, key.tenant(),
				userId, this.writes.now(), suppressed, address, reason, null);
		return switch (this.writes.write(command)) {
			case UserWrites.Outcome.Applied applied -> ResponseEntity.ok(SuppressionBody.of(applied.state()
				.suppression(suppressed)
				// The profile's address changed between the read and the write.
				.orElseThrow(() -> noAddress(userId, suppressed))));
			case UserWrites.Outcome.Erased erased -> throw new IllegalStateException("not an erasure");
			case UserWrites.Outcome.Refused refused -> throw new IllegalStateException("not conditional");
			case UserWrites.Outcome.Pending pending ->
				ResponseEntity.accepted().body(SuppressionBody.of(command.suppression()));
		};
	}

	/**
	 * Lifts the channel's suppression: Herald sends to the address again. {@code 204};
	 * {@code 404} when the channel has none (nothing is written then).
	 */
	@DeleteMapping("/{channel}")
	ResponseEntity<Void> lift(@PathVariable String userId, @PathVariable String channel, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_WRITE);
		Channel suppressed = PathVariables.requireUserIdAndAddressChannel(userId, channel);
		if (known(key, userId).suppression(suppressed).isEmpty()) {
			throw new ApiProblemException(ErrorCode.NOT_FOUND,
					"User '" + userId + "' has no " + suppressed.wireName() + " suppression.");
		}
		UserCommand command = new UserCommand.LiftSuppression(UserCommand.SCHEMA_VERSION, key.tenant(), userId,
				this.writes.now(), suppressed);
		return UserController.deleted(this.writes.write(command));
	}

	private UserState known(ApiKey key, String userId) {
		return this.queries.find(key.tenant(), userId).orElseThrow(() -> UserController.unknownUser(userId));
	}

	private static ApiProblemException noAddress(String userId, Channel channel) {
		return new ApiProblemException(ErrorCode.NOT_FOUND, "User '" + userId + "' has no "
				+ ((channel == Channel.EMAIL) ? "email address" : "phone number") + " to suppress.");
	}

}
