import { createApp } from 'vue';
import StoreApp from './StoreApp.vue';
import '../shared/base.css';

createApp(StoreApp).mount('#app');
