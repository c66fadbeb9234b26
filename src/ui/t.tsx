// Ink's Text, minus every colour and attribute when colour is off. Ink colours through chalk,
// which ignores NO_COLOR, so the app honours it here (the previews do the same via useColor).

import { Text, type TextProps } from 'ink';
import { useColor } from './previews/index.js';

export function T(props: TextProps) {
  const on = useColor();
  if (on) return <Text {...props} />;
  const { wrap, children } = props;
  return <Text wrap={wrap}>{children}</Text>;
}
