import { createApp } from 'vue';
import StoreApp from './StoreApp.vue';
import '../shared/base.css';
import '../shared/app.css';
import './theme.css';

createApp(StoreApp).mount('#app');
