package io.herald.routing.user;

import io.herald.events.Device;
import io.herald.events.UserCommand;
import io.herald.events.UserState;
import io.herald.routing.user.Representations.DeviceBody;
import io.herald.routing.user.Representations.DevicesBody;
import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

import java.net.URI;

/**
 * A user's push devices (API.md section 2). Registering a token the user already has
 * refreshes it; a user keeps at most {@value UserState#MAX_DEVICES} devices, registering
 * one more drops the oldest. A Web Push token is a URL: in {@code DELETE} it is one path
 * segment, percent-encoded ({@code /} as {@code %2F}).
 */
@RestController
@RequestMapping("/v1/users/{userId}/devices")
class DeviceController {

	/**
	 * Why the API removes a device, as {@link UserCommand.RemoveDevice#reason()} records
	 * it.
	 */
	static final String REMOVED_BY_USER = "user";

	private final UserWrites writes;

	private final UserStateQueries queries;

	DeviceController(UserWrites writes, UserStateQueries queries) {
		this.writes = writes;
		this.queries = queries;
	}

	/**
	 * Registers a device: {@code 201} with the stored device and its {@code Location}.
	 */
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<DeviceBody> register(@PathVariable String userId, @RequestBody JsonNode body,
			HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_WRITE);
		PathVariables.requireUserId(userId);
		DeviceRegistration registration = DeviceValidator.validate(body).orElseReject();
		Device device = registration.toDevice(this.writes.now());
		UserCommand command = new UserCommand.RegisterDevice(UserCommand.SCHEMA_VERSION, key.tenant(), userId,
				device.registeredAt(), device);
		URI location = UriComponentsBuilder.fromPath("/v1/users/{userId}/devices/{token}")
			.encode()
			.buildAndExpand(userId, device.token())
			.toUri();
		return switch (this.writes.write(command)) {
			case UserWrites.Outcome.Applied applied -> {
				Device stored = find(applied.state(), device.token());
				yield ResponseEntity.created(location).body(DeviceBody.of((stored != null) ? stored : device));
			}
			case UserWrites.Outcome.Erased erased -> throw new IllegalStateException("not an erasure");
			case UserWrites.Outcome.Refused refused -> throw new IllegalStateException("not conditional");
			case UserWrites.Outcome.Pending pending ->
				ResponseEntity.status(HttpStatus.ACCEPTED).location(location).body(DeviceBody.of(device));
		};
	}

	/** The user's devices, oldest first. */
	@GetMapping
	DevicesBody list(@PathVariable String userId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_READ);
		PathVariables.requireUserId(userId);
		UserState state = this.queries.find(key.tenant(), userId).orElseThrow(() -> UserController.unknownUser(userId));
		return DevicesBody.of(state.devices());
	}

	/**
	 * Removes a device: {@code 204}, or {@code 404} when the user has no device with this
	 * token.
	 */
	@DeleteMapping("/{token}")
	ResponseEntity<Void> remove(@PathVariable String userId, @PathVariable String token, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.USERS_WRITE);
		PathVariables.requireUserId(userId);
		UserState state = this.queries.find(key.tenant(), userId).orElseThrow(() -> UserController.unknownUser(userId));
		if (find(state, token) == null) {
			throw new ApiProblemException(ErrorCode.NOT_FOUND, "The user has no device with this token.");
		}
		UserCommand command = new UserCommand.RemoveDevice(UserCommand.SCHEMA_VERSION, key.tenant(), userId,
				this.writes.now(), token, REMOVED_BY_USER);
		return UserController.deleted(this.writes.write(command));
	}

	private static @Nullable Device find(UserState state, String token) {
		return state.devices().stream().filter((device) -> device.token().equals(token)).findFirst().orElse(null);
	}

}
