package dev.limp.spring.autoconfigure;

import dev.limp.spring.LimpConfigurationException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Refuses the dotted keys that Spring Boot would silently drop: {@code limp.features.chat.post.tier}
 * binds to a feature named {@code chat} with an unknown property {@code post.tier}, so the feature
 * {@code chat.post} would never be declared. A key under {@code limp.features} or {@code limp.policy.rules}
 * whose part after the name is not a property of a feature (or a rule) fails start-up, naming the bracket
 * form that works: {@code limp.features[chat.post].tier}. Stateless.
 */
final class DottedMapKeys {
  private static final ConfigurationPropertyName FEATURES = ConfigurationPropertyName.of("limp.features");
  private static final ConfigurationPropertyName RULES = ConfigurationPropertyName.of("limp.policy.rules");

  private DottedMapKeys() {
  }

  /** @throws LimpConfigurationException naming the first key with an unbracketed dotted name */
  static void check(Environment environment) {
    List<String> featureProperties = properties(LimpFeatureProperties.class);
    List<String> ruleProperties = properties(LimpRuleProperties.class);
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (source instanceof IterableConfigurationPropertySource iterable) {
        iterable.stream().forEach(name -> {
          check(name, FEATURES, featureProperties, "feature", "limp.features", ".tier");
          check(name, RULES, ruleProperties, "signal", "limp.policy.rules", ".levels.shed-sheddable.enter");
        });
      }
    }
  }

  private static void check(ConfigurationPropertyName name, ConfigurationPropertyName map, List<String> known,
      String what, String prefix, String example) {
    int at = map.getNumberOfElements();
    if (!map.isAncestorOf(name) || name.getNumberOfElements() < at + 2 || name.chop(at + 1).isLastElementIndexed()) {
      return;
    }
    String property = name.getElement(at + 1, ConfigurationPropertyName.Form.ORIGINAL);
    if (known.contains(name.getElement(at + 1, ConfigurationPropertyName.Form.UNIFORM))) {
      return;
    }
    String key = name.getElement(at, ConfigurationPropertyName.Form.ORIGINAL);
    StringBuilder dotted = new StringBuilder(key);
    int i = at + 1;
    while (i < name.getNumberOfElements() - 1
        && !known.contains(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM))) {
      dotted.append('.').append(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
      i++;
    }
    StringBuilder rest = new StringBuilder();
    for (int j = i; j < name.getNumberOfElements(); j++) {
      rest.append('.').append(name.getElement(j, ConfigurationPropertyName.Form.ORIGINAL));
    }
    throw new LimpConfigurationException(name.toString(), null, "'" + key + "." + property + "' is not a "
        + "property of a " + what + ": Spring Boot reads a dot in a map key as the end of the key, so the "
        + what + " '" + dotted + "' would be silently ignored",
        "Put a " + what + " name that contains dots in brackets: " + prefix + "[" + dotted + "]" + rest
        + " (for example " + prefix + "[chat.post]" + example + ").", null);
  }

  /** The names of a properties class's bean properties, in uniform form (lower case, no dashes). */
  private static List<String> properties(Class<?> type) {
    return Arrays.stream(BeanUtils.getPropertyDescriptors(type))
        .filter(d -> !"class".equals(d.getName()))
        .map(d -> d.getName().toLowerCase(Locale.ROOT))
        .toList();
  }
}
