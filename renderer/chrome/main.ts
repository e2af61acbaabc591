import { createApp } from 'vue';
import BrowserToolbar from './BrowserToolbar.vue';
import '../shared/base.css';

createApp(BrowserToolbar).mount('#app');
