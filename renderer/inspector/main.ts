import { createApp } from 'vue';
import InspectorApp from './InspectorApp.vue';
import '../shared/base.css';

createApp(InspectorApp).mount('#app');
