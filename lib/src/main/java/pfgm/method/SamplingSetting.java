package pfgm.method;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a setting that only sampling reads (PFGM's prior plane, the solver, ...): changing it
 * needs no new training, so it is left out of a run's fingerprint.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface SamplingSetting {}
