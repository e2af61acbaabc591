import { createApp } from 'vue';
import InspectorApp from './InspectorApp.vue';
import '../shared/base.css';
import './theme.css';

createApp(InspectorApp).mount('#app');
