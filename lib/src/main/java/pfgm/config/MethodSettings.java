package pfgm.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a preset's group of one method's settings. Presets carry every method's group so that
 * {@code --set method=...} needs no other setting; a run's fingerprint keeps only its own method's.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface MethodSettings {}
