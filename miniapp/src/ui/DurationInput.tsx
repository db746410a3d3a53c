// A span of business time typed as hours and minutes (an SLA target), held as whole minutes.
import { t } from '../i18n.ts';

export function DurationInput({
  name,
  label,
  minutes,
  onChange,
  invalid = false,
}: {
  name: string;
  label: string;
  minutes: number;
  onChange: (minutes: number) => void;
  invalid?: boolean;
}) {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const whole = (text: string) => Math.max(0, Math.floor(Number(text) || 0));
  return (
    <span className="duration" data-duration={name}>
      <input
        type="number"
        inputMode="numeric"
        min={0}
        max={9999}
        name={`${name}-hours`}
        aria-label={`${label}, ${t('app-hours')}`}
        aria-invalid={invalid || undefined}
        value={hours}
        onChange={(e) => onChange(whole(e.target.value) * 60 + rest)}
      />
      <span className="duration-unit">{t('app-hours')}</span>
      <input
        type="number"
        inputMode="numeric"
        min={0}
        max={59}
        name={`${name}-minutes`}
        aria-label={`${label}, ${t('app-minutes')}`}
        aria-invalid={invalid || undefined}
        value={rest}
        onChange={(e) => onChange(hours * 60 + Math.min(59, whole(e.target.value)))}
      />
      <span className="duration-unit">{t('app-minutes')}</span>
    </span>
  );
}
