package io.latchkey.spring;

import io.latchkey.resolver.ProviderHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The health of the application's providers, in the terms of Spring's health API but free of its
 * types (which moved between Boot 3 and Boot 4): a status code and details.
 *
 * <p>Per provider: {@code OK}, {@code DEGRADED}, {@code FAILED} or {@code UNKNOWN} (in use but not
 * answered yet) as the resolver reports it, and {@code UNUSED} for a provider that is on the class
 * path but that no reference of the application's properties names and that the resolver has not
 * called either (an application may resolve references of its own through the resolver bean), which
 * says nothing about whether it would answer. Overall: {@code DOWN} if a provider in use has a
 * reference with nothing to serve, {@code DEGRADED} if one serves stale values or its latest call
 * failed, {@code UNKNOWN} if one has not answered yet or none is in use, {@code UP} only if every
 * provider in use answered.
 */
record HealthView(String status, Map<String, Object> details) {
  static final String DEGRADED = "DEGRADED";

  static HealthView of(Map<String, ProviderHealth> health, Set<String> used) {
    Map<String, Object> providers = new LinkedHashMap<>();
    boolean anyUsed = false;
    boolean down = false;
    boolean degraded = false;
    boolean unanswered = false;
    for (ProviderHealth h : health.values()) {
      Map<String, Object> detail = new LinkedHashMap<>();
      // Called by the resolver (anything but UNKNOWN): in use, whether or not a property names it.
      if (used.contains(h.scheme()) || h.status() != ProviderHealth.Status.UNKNOWN) {
        anyUsed = true;
        down |= h.status() == ProviderHealth.Status.FAILED;
        degraded |= h.status() == ProviderHealth.Status.DEGRADED;
        unanswered |= h.status() == ProviderHealth.Status.UNKNOWN;
        detail.put("status", h.status().name());
        detail.put("staleReferences", h.staleReferences());
        detail.put("failedReferences", h.failedReferences());
        h.lastErrorKind().ifPresent(k -> detail.put("lastError", k.label()));
        h.lastErrorAt().ifPresent(t -> detail.put("lastErrorAt", t.toString()));
      } else {
        detail.put("status", "UNUSED");
      }
      providers.put(h.scheme(), detail);
    }
    // UP is a claim that every provider in use answers, which one that never answered cannot back.
    String status = down ? "DOWN" : degraded ? DEGRADED : anyUsed && !unanswered ? "UP" : "UNKNOWN";
    return new HealthView(status, Map.of("providers", providers));
  }

  static HealthView of(LatchkeySecrets secrets, LatchkeyRuntime runtime) {
    return of(secrets.health(), runtime.usedSchemes());
  }
}
