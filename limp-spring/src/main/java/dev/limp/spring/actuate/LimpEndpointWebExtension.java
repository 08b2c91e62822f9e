package dev.limp.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.MimeType;

/**
 * The {@code limp} endpoint over HTTP. Its write operation is {@link LimpEndpoint}'s, but a refused request
 * is answered with HTTP 400 and an RFC 9457 problem-detail body carrying limp's own message (which says what is
 * allowed), instead of a bare 400, and is logged with the caller's principal.
 *
 * <p>{@code GET /actuator/limp/{name}} reads the feature of that name, except {@code GET /actuator/limp/fleet}
 * when the instance belongs to a fleet (a {@link LimpFleetView} is given): that is the whole fleet (members,
 * overrides in force, the latest {@code audit} operator actions, 50 unless {@code ?audit=N}). A feature
 * literally named {@code fleet} is then read in the whole status ({@code GET /actuator/limp}, under
 * {@code features.fleet}); without a fleet, {@code /actuator/limp/fleet} is that feature as any other.
 * Thread-safe.
 */
@EndpointWebExtension(endpoint = LimpEndpoint.class)
public class LimpEndpointWebExtension {
  /** The problem type of a refused override. */
  public static final String TYPE = "urn:dev.limp:problem:override-refused";
  /** The path segment, under {@code /actuator/limp/}, of the fleet view. */
  public static final String FLEET = "fleet";

  private static final MimeType PROBLEM_JSON = MimeType.valueOf("application/problem+json");
  private static final Logger log = LoggerFactory.getLogger(LimpEndpointWebExtension.class);

  private final LimpEndpoint endpoint;
  private final @Nullable LimpFleetView fleet;

  /** Without a fleet: every {@code /actuator/limp/{name}} is a feature. */
  public LimpEndpointWebExtension(LimpEndpoint endpoint) {
    this(endpoint, null);
  }

  /** With a fleet ({@code fleet} not null), {@code /actuator/limp/fleet} is the fleet. */
  public LimpEndpointWebExtension(LimpEndpoint endpoint, @Nullable LimpFleetView fleet) {
    this.endpoint = endpoint;
    this.fleet = fleet;
  }

  /**
   * The fleet (for {@code fleet}, when the instance belongs to one), or one feature's status, or a 404 for an
   * unknown feature: reading never creates a feature.
   *
   * @param audit for the fleet only: how many audit entries, 1 to 10 000 (a 400 otherwise)
   */
  @ReadOperation
  public WebEndpointResponse<Map<String, Object>> feature(@Selector String name, @Nullable Integer audit) {
    if (fleet != null && FLEET.equals(name)) {
      int n = audit == null ? LimpFleetView.DEFAULT_AUDIT : audit;
      if (n < 1 || n > LimpFleetView.MAX_AUDIT) {
        String detail = "audit must be between 1 and " + LimpFleetView.MAX_AUDIT + ", but was " + n;
        throw new InvalidEndpointRequestException(detail, detail);
      }
      return new WebEndpointResponse<>(fleet.read(n));
    }
    Map<String, Object> feature = endpoint.feature(name);
    return feature == null ? new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND)
        : new WebEndpointResponse<>(feature);
  }

  /** See {@link LimpEndpoint#override}; a refusal is a 400 with a problem-detail body. */
  @WriteOperation
  public WebEndpointResponse<Map<String, Object>> override(String action, @Nullable String feature,
      @Nullable String level, @Nullable Long durationSeconds, @Nullable String reason, SecurityContext security) {
    try {
      return new WebEndpointResponse<>(endpoint.override(action, feature, level, durationSeconds, reason, security));
    } catch (InvalidEndpointRequestException e) {
      String actor = LimpEndpoint.actor(security);
      log.warn("limp: refused an Actuator override by {} (action '{}'): {}", actor, action, e.getReason());
      Map<String, Object> problem = new LinkedHashMap<>();
      problem.put("type", TYPE);
      problem.put("title", "Override refused");
      problem.put("status", WebEndpointResponse.STATUS_BAD_REQUEST);
      problem.put("detail", e.getReason());
      problem.put("action", action);
      problem.put("actor", actor);
      return new WebEndpointResponse<>(problem, WebEndpointResponse.STATUS_BAD_REQUEST, PROBLEM_JSON);
    }
  }
}
