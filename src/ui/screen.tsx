// The screen: header, the current view (or an overlay in its place), footer.

import { Box } from 'ink';
import { useUIState } from './contexts.js';
import { Footer } from './footer.js';
import { ConfirmReal, HelpOverlay } from './overlays.js';
import { StatusBar } from './status-bar.js';
import { DetailView } from './views/detail-view.js';
import { EventsView } from './views/events-view.js';
import { AlertsView, LogView, OutboxView, ProvidersView } from './views/list-views.js';

function Body() {
  const { ui } = useUIState();
  if (ui.overlay === 'help') return <HelpOverlay />;
  if (ui.overlay === 'confirm-real') return <ConfirmReal />;
  if (ui.detailOpen) return <DetailView />;
  switch (ui.view) {
    case 'events':
      return <EventsView />;
    case 'alerts':
      return <AlertsView />;
    case 'providers':
      return <ProvidersView />;
    case 'outbox':
      return <OutboxView />;
    case 'log':
      return <LogView />;
  }
}

export function Screen() {
  const { layout } = useUIState();
  return (
    <>
      <StatusBar />
      <Box height={layout.body.height} flexDirection="column" flexShrink={0} overflow="hidden">
        <Body />
      </Box>
      <Footer />
    </>
  );
}
