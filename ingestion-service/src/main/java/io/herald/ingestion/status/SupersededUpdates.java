package io.herald.ingestion.status;

import io.herald.events.StatusReported;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the status updates of a batch that a later update of the same delivery in the
 * same batch makes redundant. The view keeps only the latest stage of a delivery (a
 * higher stage wins, then more evidence, then a later time, then the update applied
 * first: {@link io.herald.events.DeliveryState#replaces}), so applying only each
 * delivery's winning update leaves Redis exactly as applying them all in order would,
 * with one script call instead of several: an in-app notification's {@code queued},
 * {@code delivered} and {@code acknowledged} often arrive in one poll.
 */
final class SupersededUpdates {

	private SupersededUpdates() {
	}

	/**
	 * The positions of the updates that need not be applied: for every delivery (tenant,
	 * event, user, channel, device) with more than one {@link StatusReported}, all but
	 * the winning one. Other updates (acceptances, counts) are never superseded, nor are
	 * statuses that name a count ({@link StatusReported#countedAs()}): each moves its
	 * delivery out of its count, which the status of another delivery's count or none
	 * would not (docs/adr/037).
	 */
	static BitSet in(List<?> updates) {
		BitSet superseded = new BitSet(updates.size());
		Map<DeliveryId, Integer> winners = new HashMap<>();
		for (int i = 0; i < updates.size(); i++) {
			if (updates.get(i) instanceof StatusReported status && status.countedAs() == null) {
				Integer winner = winners.putIfAbsent(DeliveryId.of(status), i);
				if (winner != null) {
					if (wins(status, (StatusReported) updates.get(winner))) {
						superseded.set(winner);
						winners.put(DeliveryId.of(status), i);
					}
					else {
						superseded.set(i);
					}
				}
			}
		}
		return superseded;
	}

	/**
	 * Whether {@code later}, read after {@code earlier}, replaces it (as
	 * status-deliveries.lua decides).
	 */
	private static boolean wins(StatusReported later, StatusReported earlier) {
		return later.state().replaces(later.at(), earlier.state(), earlier.at());
	}

	private record DeliveryId(String tenant, String eventId, String deliveryKey) {

		static DeliveryId of(StatusReported status) {
			return new DeliveryId(status.tenant(), status.eventId(), status.deliveryKey());
		}

	}

}
