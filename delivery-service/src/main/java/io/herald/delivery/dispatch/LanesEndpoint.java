package io.herald.delivery.dispatch;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /actuator/lanes}: the operator's handle on delivery.
 * <ul>
 * <li>{@code GET}: every lane consumer group with whether it is paused, and every
 * provider with its channel and circuit state;</li>
 * <li>{@code POST /actuator/lanes/{group}} with {@code {"action": "pause"}} or
 * {@code {"action": "resume"}}: stop or restart taking records from one group (records
 * wait in Kafka), for example to stop a retry storm;</li>
 * <li>{@code POST /actuator/lanes/{lane}/replay} with an optional {@code {"max": 1000}}:
 * move records from a lane's dead-letter topic back into the lane, as first tries.</li>
 * </ul>
 */
@Component
@Endpoint(id = "lanes")
class LanesEndpoint {

	private final LaneConsumers consumers;

	private final ProviderChains chains;

	private final DeadLetterReplayer replayer;

	LanesEndpoint(LaneConsumers consumers, ProviderChains chains, DeadLetterReplayer replayer) {
		this.consumers = consumers;
		this.chains = chains;
		this.replayer = replayer;
	}

	@ReadOperation
	Map<String, Object> lanes() {
		Map<String, Object> providers = new LinkedHashMap<>();
		for (GuardedProvider provider : this.chains.all()) {
			Map<String, Object> state = new LinkedHashMap<>();
			state.put("channel", provider.provider().channel().wireName());
			state.put("circuit", provider.breaker().getState().name().toLowerCase(java.util.Locale.ROOT));
			providers.put(provider.name(), state);
		}
		Map<String, Object> groups = new LinkedHashMap<>();
		this.consumers.lanes().forEach((group, paused) -> groups.put(group, Map.of("paused", paused)));
		Map<String, Object> lanes = new LinkedHashMap<>();
		lanes.put("groups", groups);
		lanes.put("providers", providers);
		return lanes;
	}

	@WriteOperation
	WebEndpointResponse<Map<String, Object>> act(@Selector String group, String action) {
		if (!action.equals("pause") && !action.equals("resume")) {
			return new WebEndpointResponse<>(Map.of("error", "action must be 'pause' or 'resume'"),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		if (!this.consumers.pause(group, action.equals("pause"))) {
			return new WebEndpointResponse<>(Map.of("error", "no lane consumer group '" + group + "'"),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		return new WebEndpointResponse<>(Map.of("group", group, "paused", action.equals("pause")));
	}

	@WriteOperation
	WebEndpointResponse<Map<String, Object>> replay(@Selector String lane, @Selector String operation,
			@Nullable Integer max) {
		if (!operation.equals("replay")) {
			return new WebEndpointResponse<>(Map.of("error", "unknown operation '" + operation + "'"),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		if (!this.replayer.isLane(lane)) {
			return new WebEndpointResponse<>(Map.of("error", "'" + lane + "' is no delivery lane"),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		int limit = (max != null) ? max : DeadLetterReplayer.DEFAULT_MAX;
		if (limit < 1 || limit > DeadLetterReplayer.MAX) {
			return new WebEndpointResponse<>(Map.of("error", "max must be between 1 and " + DeadLetterReplayer.MAX),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		return new WebEndpointResponse<>(Map.of("lane", lane, "replayed", this.replayer.replay(lane, limit)));
	}

}
